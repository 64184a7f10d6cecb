package dev.mmdgan.cli;

import dev.mmdgan.engine.data.Dataset;
import dev.mmdgan.engine.graph.Architecture;
import dev.mmdgan.engine.graph.Architectures;
import dev.mmdgan.engine.loss.Losses;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.RunDefaults;
import dev.mmdgan.engine.train.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.autodiff.listeners.profiler.ProfilingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Training speed of one architecture on random data of its sample shape (so no data set is needed). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Benchmark training: median ms of a critic update, a generator update and 1,000 samples, worst update, peak RSS.")
final class BenchTrainCommand extends ReportingCommand {

    @Mixin
    ModelOptions model;

    @Option(names = "--loss", defaultValue = "mmd-gp", description = "Loss to measure (default: ${DEFAULT-VALUE}, seed 000's).")
    String loss;

    // On 2 cores the JIT compiler competes with the numerics for the first ~15 steps (updates up to 2× slower).
    @Option(names = "--warmup", defaultValue = "20", description = "Unmeasured steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--steps", defaultValue = "10", description = "Measured steps, ≥ 10 (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--out", defaultValue = "bench-results/bench-train.json", description = "Where to write the figures (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "Also record every op of the measured steps (SameDiff ProfilingListener, Chrome trace JSON).")
    Path profile;

    @Override
    JsonReport report() throws IOException {
        if (steps < 10 || warmup < 0) {
            throw new IllegalArgumentException("--steps must be ≥ 10 and --warmup ≥ 0");
        }
        Architecture a = Architectures.byName(model.arch, model.criticDim(loss), 0);
        int batch = model.batch();
        Nd4j.getRandom().setSeed(0);
        var random = Nd4j.rand(DataType.FLOAT, 4 * batch, a.sampleSize()).muli(2).subi(1);
        Dataset data = new Dataset("random", "uniform[-1,1]", random, random, a.sampleShape());
        MmdGanTrainer trainer = new MmdGanTrainer(data, a, Losses.byName(loss, model.buildKernel(loss), RunDefaults.MMD_LAMBDA),
                RunDefaults.training(model.arch).withBatch(batch).withNCritic(1));
        for (int i = 0; i < warmup; i++) {
            trainer.trainStep();
            trainer.generate(1000, i);
        }
        if (profile != null) {
            trainer.addListeners(ProfilingListener.builder(profile.toFile()).recordAll().build());
        }
        double[] critic = new double[steps];
        double[] generator = new double[steps];
        double[] generate = new double[steps];
        double worst = 0;
        for (int i = 0; i < steps; i++) {
            StepResult r = trainer.trainStep();
            critic[i] = r.criticMillis();
            generator[i] = r.generatorMillis();
            worst = Math.max(worst, Math.max(r.maxCriticMillis(), r.generatorMillis()));
            long t = System.nanoTime();
            trainer.generate(1000, i);
            generate[i] = (System.nanoTime() - t) / 1e6;
        }
        JsonReport report = new JsonReport()
                .put("critic_step_ms", Benchmarks.median(critic))
                .put("generator_step_ms", Benchmarks.median(generator))
                .put("generate_1000_ms", Benchmarks.median(generate))
                .put("max_step_ms", worst)
                .put("rss_mb", peakRssMb())
                .put("arch", a.name())
                .put("loss", loss)
                .put("critic_dim", a.criticOutputDim())
                .put("batch", batch);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, report.toJson() + System.lineSeparator());
        return report;
    }

    /** Peak resident set size of this process (VmHWM), MB; −1 where /proc is not available. */
    private static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return -1;
    }
}
