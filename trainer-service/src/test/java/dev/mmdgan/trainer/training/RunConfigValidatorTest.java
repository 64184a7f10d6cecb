package dev.mmdgan.trainer.training;

import static dev.mmdgan.trainer.MalformedRunConfigs.tinyMoons;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.mmdgan.api.v1.ArchitectureSpec;
import dev.mmdgan.api.v1.DatasetSpec;
import dev.mmdgan.api.v1.LearningRateDecaySpec;
import dev.mmdgan.api.v1.LossSpec;
import dev.mmdgan.api.v1.NoiseDistribution;
import dev.mmdgan.api.v1.RegularizerSpec;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.SpectralNorm;
import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.engine.data.DataOptions;
import dev.mmdgan.engine.data.Datasets;
import dev.mmdgan.engine.train.RunDefaults;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.trainer.MalformedRunConfigs;
import dev.mmdgan.trainer.training.RunConfigValidator.InvalidRunConfig;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** StartRun configs checked up front: the malformed ones of {@link MalformedRunConfigs}, and the valid ones that must pass. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunConfigValidatorTest {

    /** The trainer's only data root. */
    @TempDir
    Path root;

    private RunSpec validate(RunConfig.Builder c) {
        return RunConfigValidator.validate(c.build(), List.of(root));
    }

    @TestFactory
    Stream<DynamicTest> everyMalformedConfigIsRefusedWithAMessageNamingTheField() {
        List<MalformedRunConfigs.Case> cases = MalformedRunConfigs.cases(root);
        assertThat(cases).hasSizeGreaterThanOrEqualTo(45);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.expectedPrefix(), () -> {
            RunConfig config = c.change().apply(tinyMoons()).build();
            assertThatThrownBy(() -> RunConfigValidator.validate(config, List.of(root))).as(c.expectedPrefix())
                    .isInstanceOf(InvalidRunConfig.class)
                    .hasMessageStartingWith(c.expectedPrefix());
        }));
    }

    @Test
    void theBaseConfigOfTheCasesIsValidAndTakesTheDefaults() {
        RunSpec spec = validate(tinyMoons());
        assertThat(spec.dataset()).isEqualTo("moons");
        assertThat(spec.dataPath()).isNull();
        assertThat(spec.data()).isEqualTo(RunDefaults.DATA);
        assertThat(spec.loss()).isEqualTo("mmd");
        assertThat(spec.training().batch()).isEqualTo(32);
    }

    /** What `mmdgan train` makes of the same flags: the cli module's TrainingOptionsTest holds it to RunDefaults.spec too. */
    @Test
    void aConfigThatSetsOnlyDataArchitectureLossAndStepsGetsTheRunDefaults() throws IOException {
        RunConfig.Builder moons = RunConfig.newBuilder().setSteps(20).setDataset(DatasetSpec.newBuilder().setName("moons"))
                .setArchitecture(ArchitectureSpec.newBuilder().setName("mlp-2d"));
        assertThat(validate(moons)).isEqualTo(RunDefaults.spec("moons", null, "mlp-2d", "mmd", 20));
        assertThat(validate(moons.setLoss(LossSpec.newBuilder().setName("smmd"))))
                .isEqualTo(RunDefaults.spec("moons", null, "mlp-2d", "smmd", 20));

        Path file = root.resolve("images.npy");
        NpyArrays.write(file, Nd4j.rand(DataType.FLOAT, 80, 1, 28, 28));
        RunConfig.Builder images = RunConfig.newBuilder().setSteps(5)
                .setDataset(DatasetSpec.newBuilder().setName("npy").setPath(file.toString()))
                .setArchitecture(ArchitectureSpec.newBuilder().setName("dcgan-28"));
        assertThat(validate(images)).isEqualTo(RunDefaults.spec("npy", file.toRealPath(), "dcgan-28", "mmd", 5));
    }

    @Test
    void anNpyFileInsideTheRootIsAcceptedAndReadFromItsRealLocation() throws IOException {
        Path file = root.resolve("good.npy");
        NpyArrays.write(file, Nd4j.rand(DataType.FLOAT, 100, 2));
        RunSpec spec = validate(tinyMoons().setDataset(DatasetSpec.newBuilder().setName("npy").setPath(file.toString())));
        assertThat(spec.dataPath()).isEqualTo(file.toRealPath());

        Path link = root.resolve("sub").resolve("link.npy");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, file);
        RunSpec viaLink = validate(tinyMoons().setDataset(DatasetSpec.newBuilder().setName("npy").setPath(link.toString())));
        assertThat(viaLink.dataPath()).isEqualTo(file.toRealPath());
    }

    @Test
    void anImageNpyOfShapeNChwIsAcceptedForDcgan28() {
        Path file = root.resolve("images.npy");
        NpyArrays.write(file, Nd4j.rand(DataType.FLOAT, 40, 1, 28, 28));
        assertThat(Datasets.sampleShape("npy", file)).containsExactly(1, 28, 28);
        RunSpec spec = validate(tinyMoons().setDataset(DatasetSpec.newBuilder().setName("npy").setPath(file.toString()))
                .setArchitecture(ArchitectureSpec.newBuilder().setName("dcgan-28").setGeneratorBatchNorm(true)));
        assertThat(spec.architecture()).isEqualTo("dcgan-28");
        assertThat(spec.dataset()).isEqualTo("npy");
    }

    @Test
    void anMnistFolderInsideTheRootIsAccepted() throws IOException {
        Path dir = Files.createDirectories(root.resolve("mnist"));
        idx(dir.resolve("train-images-idx3-ubyte"));
        idx(dir.resolve("t10k-images-idx3-ubyte"));
        RunSpec spec = validate(tinyMoons().setDataset(DatasetSpec.newBuilder().setName("mnist").setPath(dir.toString()))
                .setArchitecture(ArchitectureSpec.newBuilder().setName("dcgan-28")));
        assertThat(spec.dataPath()).isEqualTo(dir.toRealPath());
    }

    @Test
    void dataSettingsArePassedOnAndSurviveACheckpoint() {
        RunSpec spec = validate(tinyMoons().setDataset(DatasetSpec.newBuilder().setName("moons").setMoonsPoints(500)
                .setMoonsNoise(0.2).setHoldoutFraction(0.25)));
        assertThat(spec.data()).isEqualTo(new DataOptions(0.25, 500, 0.2));
        assertThat(RunSpec.fromProperties(spec.toProperties())).isEqualTo(spec);
    }

    @Test
    void settingsThatMatchWhatTheEngineDoesAreAccepted() {
        RunSpec spec = validate(tinyMoons()
                .setArchitecture(ArchitectureSpec.newBuilder().setName("mlp-2d").setGeneratorBatchNorm(false)
                        .setNoise(NoiseDistribution.NOISE_DISTRIBUTION_NORMAL).setCriticOutputDim(4096)
                        .setInitialization(dev.mmdgan.api.v1.Initialization.INITIALIZATION_PYTORCH))
                .setLoss(LossSpec.newBuilder().setName("mmd-lambda").setMmdLambda(0.25))
                .setRegularizers(RegularizerSpec.newBuilder().setSpectralNorm(SpectralNorm.SPECTRAL_NORM_PICO).setSpectralNormConstant(2))
                .setLrDecay(LearningRateDecaySpec.newBuilder().setEnabled(true).setFactor(0.5).setFloor(0).setWindow(4)
                        .setMaxFailures(2).setPThreshold(0.05))
                .setCheckpointEvery(100).setEvaluationEvery(300).setDisplayName("n".repeat(256)));
        assertThat(spec.training().initialization()).isEqualTo(dev.mmdgan.engine.graph.Initialization.PYTORCH);
        assertThat(spec.lambda()).isEqualTo(0.25);
        assertThat(spec.training().spectralNormConstant()).isEqualTo(2);
        assertThat(spec.criticOutputDim()).isEqualTo(4096);

        RunSpec smmd = validate(tinyMoons().setLoss(LossSpec.newBuilder().setName("smmd").setSmmdVariant("value_and_grad")));
        assertThat(smmd.loss()).isEqualTo("smmd-value-and-grad");
        assertThat(smmd.gradientPenalty()).isEqualTo(RunDefaults.GRADIENT_PENALTY);
    }

    @Test
    void theGradientPenaltysWeightIsPassedOnAndSurvivesACheckpoint() {
        for (double weight : new double[] {0, 10}) {
            RunSpec spec = validate(tinyMoons().setLoss(LossSpec.newBuilder().setName("mmd-gp").setGradientPenalty(weight)));
            assertThat(spec.gradientPenalty()).isEqualTo(weight);
            assertThat(spec.toProperties().getProperty("loss.gradient_penalty")).isEqualTo(Double.toString(weight));
            assertThat(RunSpec.fromProperties(spec.toProperties())).isEqualTo(spec);
        }
    }

    @Test
    void aPathOutsideTheRootsGetsOneMessageWhetherOrNotItExists() {
        String missing = refusal(tinyMoons().setDataset(DatasetSpec.newBuilder().setName("npy").setPath("/nonexistent.npy")));
        String existing = refusal(tinyMoons().setDataset(DatasetSpec.newBuilder().setName("npy").setPath("/etc/passwd")));
        assertThat(existing).isEqualTo(missing).doesNotContain("passwd").doesNotContain("no such");
    }

    @Test
    void withoutDataRootsNoPathIsAccepted() {
        Path file = root.resolve("good.npy");
        NpyArrays.write(file, Nd4j.rand(DataType.FLOAT, 100, 2));
        RunConfig config = tinyMoons().setDataset(DatasetSpec.newBuilder().setName("npy").setPath(file.toString())).build();
        assertThatThrownBy(() -> RunConfigValidator.validate(config, List.of()))
                .hasMessageStartingWith("config.dataset.path must be under one of the trainer's data roots []");
    }

    @Test
    void userTextIsQuotedAsAShortPrefixOnly() {
        String path = root.resolve("a".repeat(3000) + ".npy").toString();
        String message = refusal(tinyMoons().setDataset(DatasetSpec.newBuilder().setName("npy").setPath(path)));
        assertThat(message).startsWith("config.dataset.path: no such file on the trainer: ").endsWith("…").hasSizeLessThan(200);
        assertThat(refusal(tinyMoons().setLoss(LossSpec.newBuilder().setName("\n".repeat(1000)))))
                .startsWith("config.loss.name: unknown loss '" + "?".repeat(64) + "…'");
    }

    /**
     * Guards "no field is silently ignored": a field added to RunConfig must be checked (or refused) by the validator
     * and then listed here.
     */
    @Test
    void everyFieldOfRunConfigIsKnownToTheValidator() {
        Set<String> handled = new TreeSet<>(List.of(
                "dataset.name", "dataset.path", "dataset.holdout_fraction", "dataset.moons_points", "dataset.moons_noise",
                "architecture.name", "architecture.critic_output_dim", "architecture.noise_dim", "architecture.noise",
                "architecture.generator_batch_norm", "architecture.initialization",
                "loss.name", "loss.gradient_penalty", "loss.l2_penalty", "loss.smmd_lambda", "loss.smmd_variant", "loss.mmd_lambda",
                "loss.rep_gp_lambda", "loss.weight_clip",
                "kernel.name", "kernel.sigmas", "kernel.alphas", "kernel.dot_weight", "kernel.poly_degree", "kernel.poly_gamma",
                "kernel.poly_coef", "kernel.lower_bound", "kernel.upper_bound",
                "regularizers.spectral_norm", "regularizers.spectral_norm_constant", "regularizers.gradient_clip",
                "optimizer.lr_generator", "optimizer.lr_critic", "optimizer.beta1", "optimizer.beta2", "optimizer.epsilon",
                "n_critic", "batch_size", "steps", "seed", "checkpoint_every", "evaluation_every", "metrics_every",
                "lr_decay.enabled", "lr_decay.factor", "lr_decay.floor", "lr_decay.window", "lr_decay.max_failures",
                "lr_decay.p_threshold", "display_name"));
        assertThat(new TreeSet<>(leafFields("", RunConfig.getDescriptor()))).isEqualTo(handled);
    }

    private static List<String> leafFields(String prefix, Descriptor d) {
        List<String> names = new ArrayList<>();
        for (FieldDescriptor f : d.getFields()) {
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                names.addAll(leafFields(prefix + f.getName() + ".", f.getMessageType()));
            } else {
                names.add(prefix + f.getName());
            }
        }
        return names;
    }

    private String refusal(RunConfig.Builder c) {
        try {
            validate(c);
        } catch (InvalidRunConfig e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + c);
    }

    /** An IDX file of one blank 28×28 image. */
    private static void idx(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(0x00000803);
            out.writeInt(1);
            out.writeInt(28);
            out.writeInt(28);
            out.write(new byte[28 * 28]);
        }
    }
}
