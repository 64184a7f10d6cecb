package dev.mmdgan.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.engine.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointsTest {

    @TempDir
    Path dir;

    private final RunSpec spec = new RunSpec("moons", null, "mlp-2d", 8, "mmd", -1, "rq-mix", List.of(), List.of(0.2, 1.0, 5.0),
            TrainingConfig.DEFAULTS.withBatch(32).withNCritic(2).withLearningRates(1e-3, 2e-3).withSeed(9)
                    .withSpectralNorm(dev.mmdgan.engine.graph.SpectralNorm.Mode.LEARNED_SCALE), 10, 4);

    @Test
    void resumingFromACheckpointContinuesTheSameRunBitForBit() {
        MmdGanTrainer straight = spec.newTrainer();
        for (int i = 0; i < 10; i++) {
            straight.trainStep();
        }

        MmdGanTrainer first = spec.newTrainer();
        for (int i = 0; i < 4; i++) {
            first.trainStep();
        }
        Path checkpoint = Checkpoints.save(first, spec, dir);
        assertThat(checkpoint.getFileName().toString()).isEqualTo("step-00000004");

        MmdGanTrainer resumed = Checkpoints.load(checkpoint);
        assertThat(resumed.completedSteps()).isEqualTo(4);
        assertThat(resumed.generatorOptimizer().learningRate()).isEqualTo(1e-3);
        assertThat(resumed.criticOptimizer().learningRate()).isEqualTo(2e-3);
        for (int i = 0; i < 6; i++) {
            resumed.trainStep();
        }
        assertSameWeights(resumed.generatorParameters().arrays(), straight.generatorParameters().arrays());
        assertSameWeights(resumed.criticParameters().arrays(), straight.criticParameters().arrays());
    }

    @Test
    void convolutionalRunsResumeBitForBitWithBatchNormAndPicoState() {
        Nd4j.getRandom().setSeed(3);
        Path images = dir.resolve("images.npy");
        NpyArrays.write(images, Nd4j.rand(DataType.FLOAT, 24, 1, 28, 28).muli(2).subi(1));
        RunSpec conv = new RunSpec("npy", images, "dcgan-28", 8, "mmd-gp", -1, "rq-mix", List.of(), List.of(),
                TrainingConfig.DEFAULTS.withBatch(4).withNCritic(1).withSeed(2)
                        .withSpectralNorm(dev.mmdgan.engine.graph.SpectralNorm.Mode.PICO), 3, 1);
        MmdGanTrainer straight = conv.newTrainer();
        for (int i = 0; i < 3; i++) {
            straight.trainStep();
        }
        MmdGanTrainer first = conv.newTrainer();
        first.trainStep();
        MmdGanTrainer resumed = Checkpoints.load(Checkpoints.save(first, conv, dir));
        resumed.trainStep();
        resumed.trainStep();
        assertSameWeights(resumed.generatorParameters().allArrays(), straight.generatorParameters().allArrays());
        assertSameWeights(resumed.criticParameters().allArrays(), straight.criticParameters().allArrays());
        assertThat(resumed.generate(3, 5)).isEqualTo(straight.generate(3, 5));
    }

    private static void assertSameWeights(Map<String, INDArray> got, Map<String, INDArray> want) {
        assertThat(got.keySet()).isEqualTo(want.keySet());
        want.forEach((name, w) -> assertThat(got.get(name)).as(name).isEqualTo(w));
    }

    @Test
    void checkpointHoldsAnInferenceGraphAndProvenance() {
        MmdGanTrainer trainer = spec.newTrainer();
        trainer.trainStep();
        Path checkpoint = Checkpoints.save(trainer, spec, dir);
        SameDiff generator = SameDiff.load(checkpoint.resolve(Checkpoints.GENERATOR_GRAPH).toFile(), false);
        INDArray z = org.nd4j.linalg.factory.Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 2);
        INDArray fromFile = generator.output(Map.of("z", z), "samples").get("samples");
        INDArray live = trainer.samplerGraph().output(Map.of("z", z), "samples").get("samples");
        assertThat(fromFile).isEqualTo(live);

        var meta = Checkpoints.metadata(checkpoint);
        assertThat(meta.getProperty("format_version")).isEqualTo("2");
        assertThat(meta.getProperty("step")).isEqualTo("1");
        assertThat(meta.getProperty("dataset.identity")).startsWith("moons(");
        assertThat(meta.getProperty("loss")).isEqualTo("mmd");
        assertThat(meta.getProperty("code.version")).isNotBlank();
        assertThat(RunSpec.fromProperties(meta)).isEqualTo(spec);

        CheckpointProvenance provenance = CheckpointProvenance.of(meta);
        assertThat(provenance.codeVersion()).isEqualTo(dev.mmdgan.engine.BuildInfo.codeVersion()).isNotEqualTo("unknown");
        // A build from a git checkout records its commit; one from a copy without .git says "unknown".
        assertThat(provenance.gitCommit()).isEqualTo(dev.mmdgan.engine.BuildInfo.gitCommit()).matches("[0-9a-f]{40}|unknown");
        assertThat(provenance.dataset()).isEqualTo(trainer.data().identity());
        assertThat(provenance.datasetSha256()).isEqualTo(dev.mmdgan.core.io.Sha256.ofText("moons(n=10000, noise=0.1, seed=9, holdout=1000)"));
        assertThat(provenance.configSha256()).isEqualTo(dev.mmdgan.core.io.Sha256.ofText(spec.canonicalText()))
                .isNotEqualTo(spec.withSteps(11).configSha256());
        assertThat(provenance.step()).isEqualTo(1);
        assertThat(provenance.architecture()).isEqualTo("mlp-2d");
        assertThat(spec.canonicalText()).startsWith("architecture=mlp-2d\narchitecture.critic_output_dim=8\n").endsWith("steps=10\n");
        assertThat(GeneratorSignature.read(meta)).contains(new GeneratorSignature(2, new long[] {2}, "standard-normal"));
    }

    @Test
    void formatOneCheckpointsStillLoadWithUnknownProvenance() throws IOException {
        MmdGanTrainer trainer = spec.newTrainer();
        trainer.trainStep();
        trainer.trainStep();
        Path v2 = Checkpoints.save(trainer, spec, dir);
        Path v1 = CheckpointRewriter.asFormat1(v2, dir.resolve("format-1"));

        var meta = Checkpoints.metadata(v1);
        assertThat(meta.getProperty("format_version")).isEqualTo("1");
        CheckpointProvenance provenance = CheckpointProvenance.of(meta);
        assertThat(provenance.gitCommit()).isEqualTo("unknown");
        assertThat(provenance.datasetSha256()).isEqualTo("unknown");
        assertThat(provenance.configSha256()).isEqualTo("unknown");
        assertThat(provenance.codeVersion()).isEqualTo(CheckpointProvenance.of(Checkpoints.metadata(v2)).codeVersion());
        assertThat(provenance.step()).isEqualTo(2);
        assertThat(GeneratorSignature.read(meta)).isEmpty();

        MmdGanTrainer restored = Checkpoints.load(v1);
        assertThat(restored.completedSteps()).isEqualTo(2);
        assertSameWeights(restored.generatorParameters().allArrays(), trainer.generatorParameters().allArrays());
        assertSameWeights(restored.criticParameters().allArrays(), trainer.criticParameters().allArrays());
    }

    @Test
    void checkpointsOfALaterFormatAreRefusedNamingBothVersions() throws IOException {
        Path v2 = Checkpoints.save(spec.newTrainer(), spec, dir);
        Path v3 = CheckpointRewriter.rewrite(v2, dir.resolve("format-3"), 3, List.of());
        assertThatThrownBy(() -> Checkpoints.metadata(v3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoint format 3 is not supported; this build reads formats 1 to 2");
        assertThatThrownBy(() -> Checkpoints.load(v3)).hasMessageContaining("checkpoint format 3");
        Path v0 = CheckpointRewriter.rewrite(v2, dir.resolve("format-0"), 0, List.of());
        assertThatThrownBy(() -> Checkpoints.metadata(v0)).hasMessageContaining("checkpoint format 0 is not supported");
    }

    @Test
    void damagedCheckpointsFailToLoadWithAClearError() throws IOException {
        MmdGanTrainer trainer = spec.newTrainer();
        Path checkpoint = Checkpoints.save(trainer, spec, dir);
        assertThat(Checkpoints.resolve(dir)).isEqualTo(checkpoint);

        Path weight = checkpoint.resolve("G__W0.npy");
        byte[] original = Files.readAllBytes(weight);
        byte[] bytes = original.clone();
        bytes[bytes.length - 1] ^= 1;
        Files.write(weight, bytes);
        assertThatThrownBy(() -> Checkpoints.load(checkpoint)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("G__W0.npy does not match its SHA-256 in the manifest (truncated or altered)");

        Files.write(weight, java.util.Arrays.copyOf(original, original.length / 2));
        assertThatThrownBy(() -> Checkpoints.load(checkpoint)).hasMessageContaining("G__W0.npy does not match its SHA-256");

        Files.write(weight, original);
        Files.delete(checkpoint.resolve("adam/D__W1.M.npy"));
        assertThatThrownBy(() -> Checkpoints.load(checkpoint)).hasMessageContaining("adam/D__W1.M.npy is listed in the manifest but missing");

        Files.delete(checkpoint.resolve(Checkpoints.MANIFEST));
        assertThatThrownBy(() -> Checkpoints.load(checkpoint)).hasMessageContaining("MANIFEST.sha256 is missing");
        assertThatThrownBy(() -> Checkpoints.resolve(dir)).hasMessageContaining("has no complete checkpoint");
    }
}
