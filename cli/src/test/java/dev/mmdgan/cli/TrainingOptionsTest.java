package dev.mmdgan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.ArchitectureSpec;
import dev.mmdgan.api.v1.DatasetSpec;
import dev.mmdgan.api.v1.KernelSpec;
import dev.mmdgan.api.v1.LossSpec;
import dev.mmdgan.api.v1.OptimizerSpec;
import dev.mmdgan.api.v1.RegularizerSpec;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.SpectralNorm;
import dev.mmdgan.engine.data.DataOptions;
import dev.mmdgan.engine.train.RunDefaults;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.engine.train.TrainingConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The run options that {@code train} and {@code runs start} share, parsed as a user gives them but not executed:
 * {@code train}'s unset options take the {@link RunDefaults} (which the trainer's RunConfigValidatorTest holds the
 * trainer to), {@code runs start} sends only what was set, and both carry every flag's value.
 */
class TrainingOptionsTest {

    /** Every run option set, to values unlike the defaults. */
    private static final List<String> EVERY_FLAG = List.of("--dataset", "npy", "--data", "/data/x.npy", "--arch", "mlp-2d",
            "--loss", "mmd-lambda", "--lambda", "0.25", "--kernel", "rq-mix", "--alphas", "0.5,2", "--critic-dim", "8", "--steps", "30",
            "--batch", "16", "--n-critic", "2", "--lr-g", "2e-4", "--lr-d", "3e-4", "--beta1", "0.1", "--beta2", "0.8",
            "--gradient-clip", "1", "--spectral-norm", "pico", "--sn-constant", "2", "--init", "pytorch", "--seed", "7", "--checkpoint-every", "10");

    /** The command object that picocli fills in for {@code args}. */
    private static <T> T parsed(Class<T> type, List<String> args) {
        CommandLine.ParseResult r = MmdganCommand.commandLine().parseArgs(args.toArray(String[]::new));
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return type.cast(r.commandSpec().userObject());
    }

    private static RunSpec train(String... args) {
        List<String> all = Stream.concat(Stream.of("train", "--out", "unused"), Stream.of(args)).toList();
        return parsed(TrainCommand.class, all).options.toRunSpec();
    }

    private static RunConfig start(String... args) {
        List<String> all = Stream.concat(Stream.of("runs", "start"), Stream.of(args)).toList();
        return parsed(RunsCommand.Start.class, all).config();
    }

    @Test
    void unsetOptionsTakeTheRunDefaultsInTrainAndAreNotSentByRunsStart() {
        assertThat(train("--dataset", "moons", "--arch", "mlp-2d", "--steps", "2000"))
                .isEqualTo(RunDefaults.spec("moons", null, "mlp-2d", "mmd", 2000));
        assertThat(train("--dataset", "npy", "--data", "/data/x.npy", "--arch", "dcgan-28", "--loss", "smmd", "--steps", "5"))
                .isEqualTo(RunDefaults.spec("npy", Path.of("/data/x.npy"), "dcgan-28", "smmd", 5));

        assertThat(start("--dataset", "moons", "--arch", "mlp-2d", "--steps", "2000")).isEqualTo(RunConfig.newBuilder()
                .setDataset(DatasetSpec.newBuilder().setName("moons")).setArchitecture(ArchitectureSpec.newBuilder().setName("mlp-2d"))
                .setSteps(2000).build());
    }

    @Test
    void everyOptionReachesTrainsRunAndTheStartRunConfig() {
        String[] flags = EVERY_FLAG.toArray(String[]::new);
        assertThat(train(flags)).isEqualTo(new RunSpec("npy", Path.of("/data/x.npy"), "mlp-2d", 8, "mmd-lambda", 0.25, "rq-mix",
                List.of(), List.of(0.5, 2.0), new TrainingConfig(16, 2, 2e-4, 3e-4, 0.1, 0.8, 1, 7,
                        dev.mmdgan.engine.graph.SpectralNorm.Mode.PICO, 2, dev.mmdgan.engine.graph.Initialization.PYTORCH),
                30, 10, RunDefaults.DATA));
        assertThat(start(flags)).isEqualTo(RunConfig.newBuilder()
                .setDataset(DatasetSpec.newBuilder().setName("npy").setPath("/data/x.npy"))
                .setArchitecture(ArchitectureSpec.newBuilder().setName("mlp-2d").setCriticOutputDim(8)
                        .setInitialization(dev.mmdgan.api.v1.Initialization.INITIALIZATION_PYTORCH))
                .setLoss(LossSpec.newBuilder().setName("mmd-lambda").setMmdLambda(0.25))
                .setKernel(KernelSpec.newBuilder().setName("rq-mix").addAllAlphas(List.of(0.5, 2.0)))
                .setOptimizer(OptimizerSpec.newBuilder().setLrGenerator(2e-4).setLrCritic(3e-4).setBeta1(0.1).setBeta2(0.8))
                .setRegularizers(RegularizerSpec.newBuilder().setSpectralNorm(SpectralNorm.SPECTRAL_NORM_PICO)
                        .setSpectralNormConstant(2).setGradientClip(1))
                .setSteps(30).setBatchSize(16).setNCritic(2).setSeed(7).setCheckpointEvery(10).build());
        assertThat(start(Stream.concat(EVERY_FLAG.stream(), Stream.of("--metrics-every", "3")).toArray(String[]::new))
                .getMetricsEvery()).isEqualTo(3);
        assertThat(RunDefaults.DATA).isEqualTo(DataOptions.DEFAULTS);
    }

    @Test
    void theGradientPenaltysWeightReachesTrainsRunAndTheStartRunConfig() {
        String[] flags = {"--dataset", "moons", "--arch", "mlp-2d", "--loss", "mmd-gp", "--gradient-penalty", "10", "--steps", "5"};
        assertThat(train(flags).gradientPenalty()).isEqualTo(10);
        assertThat(start(flags).getLoss()).isEqualTo(LossSpec.newBuilder().setName("mmd-gp").setGradientPenalty(10).build());
        assertThatThrownBy(() -> train("--dataset", "moons", "--arch", "mlp-2d", "--loss", "mmd",
                "--gradient-penalty", "10", "--steps", "5")).hasMessageContaining("applies only to the losses mmd-gp, mmd-gp-l2");
        assertThatThrownBy(() -> train("--dataset", "moons", "--arch", "mlp-2d", "--loss", "mmd-rep", "--gradient-penalty", "1",
                "--steps", "5")).as("set to the default, still refused, as the trainer does").hasMessage(
                "--gradient-penalty applies only to the losses mmd-gp, mmd-gp-l2, not to mmd-rep");
    }

    @Test
    void eachCommandShowsTheOptionsItTakesAndNoOthers() {
        List<String> run = List.of("--dataset", "--data", "--loss", "--lambda", "--gradient-penalty", "--steps", "--n-critic", "--lr-g", "--lr-d", "--beta1",
                "--beta2", "--gradient-clip", "--spectral-norm", "--sn-constant", "--init", "--seed", "--checkpoint-every");
        List<String> model = List.of("--arch", "--kernel", "--sigmas", "--alphas", "--critic-dim", "--batch");
        String train = help("train");
        String start = help("runs", "start");
        String bench = help("bench", "train");
        for (String option : Stream.concat(run.stream(), model.stream()).toList()) {
            assertThat(train).as("train").contains(option + "=");
            assertThat(start).as("runs start").contains(option + "=");
        }
        for (String option : model) {
            assertThat(bench).as("bench train").contains(option + "=");
        }
        for (String option : List.of("--dataset", "--data", "--lambda", "--gradient-penalty", "--n-critic", "--lr-g", "--lr-d", "--beta1", "--seed",
                "--spectral-norm", "--checkpoint-every")) {
            assertThat(bench).as("bench train").doesNotContain(option + "=");
        }
        assertThat(bench).contains("default: mmd-gp");
        assertThat(train).doesNotContain("--metrics-every=", "--trainer=");
        assertThat(start).contains("--metrics-every=", "--trainer=").doesNotContain("--out=", "--resume=");
    }

    private static String help(String... command) {
        CommandLine c = MmdganCommand.commandLine();
        for (String name : command) {
            c = c.getSubcommands().get(name);
        }
        return c.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }
}
