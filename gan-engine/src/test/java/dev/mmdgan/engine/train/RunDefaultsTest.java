package dev.mmdgan.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.engine.data.DataOptions;
import dev.mmdgan.engine.graph.SpectralNorm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The table of defaults that the CLI, the trainer's validator and trainer.proto's comments state. A change here is a
 * change of what users get: update docs/methods.md §6, the README and trainer.proto with it.
 */
class RunDefaultsTest {

    @Test
    void theFixedDefaults() {
        assertThat(RunDefaults.LOSS).isEqualTo("mmd");
        assertThat(RunDefaults.MMD_LAMBDA).isEqualTo(0.5);
        assertThat(RunDefaults.N_CRITIC).isEqualTo(5);
        assertThat(RunDefaults.BETA1).isEqualTo(0.5);
        assertThat(RunDefaults.BETA2).isEqualTo(0.9);
        assertThat(RunDefaults.GRADIENT_CLIP).isZero();
        assertThat(RunDefaults.SEED).isZero();
        assertThat(RunDefaults.SPECTRAL_NORM).isEqualTo(SpectralNorm.Mode.NONE);
        assertThat(RunDefaults.SPECTRAL_NORM_CONSTANT).isEqualTo(1 / 0.55);
        assertThat(RunDefaults.CHECKPOINT_EVERY).isEqualTo(1000);
        assertThat(RunDefaults.METRICS_EVERY).isEqualTo(10);
        assertThat(RunDefaults.DATA).isEqualTo(new DataOptions(0.1, 10_000, 0.1));
    }

    @Test
    void theToyHasSeed000sTwoDimensionalRecipe() {
        assertThat(RunDefaults.batch("mlp-2d")).isEqualTo(128);
        assertThat(RunDefaults.learningRate("mlp-2d")).isEqualTo(1e-3);
        assertThat(RunDefaults.alphas("mlp-2d", "rq-mix", List.of())).containsExactly(0.2, 1.0, 5.0);
        for (String arch : List.of("dcgan-28", "dcgan-32", "dcgan-64")) {
            assertThat(RunDefaults.batch(arch)).as(arch).isEqualTo(64);
            assertThat(RunDefaults.learningRate(arch)).as(arch).isEqualTo(1e-4);
            assertThat(RunDefaults.alphas(arch, "rq-mix", List.of())).as(arch).isEmpty();
        }
    }

    @Test
    void theScalarCriticLossesTakeOneOutputAndRbfWithSigmaOne() {
        for (String loss : List.of("smmd", "smmd-value-and-grad", "swgan", "mmd-rep-gp")) {
            assertThat(RunDefaults.criticOutputDim(loss)).as(loss).isEqualTo(1);
            assertThat(RunDefaults.kernel(loss)).as(loss).isEqualTo("rbf-mix");
            assertThat(RunDefaults.sigmas(loss, "rbf-mix", List.of())).as(loss).containsExactly(1.0);
        }
        for (String loss : List.of("mmd", "mmd-gp", "mmd-rep", "mmd-lambda")) {
            assertThat(RunDefaults.criticOutputDim(loss)).as(loss).isZero(); // the architecture's own
            assertThat(RunDefaults.kernel(loss)).as(loss).isEqualTo("rq-mix");
            assertThat(RunDefaults.sigmas(loss, "rbf-mix", List.of())).as(loss).isEmpty();
        }
        assertThat(RunDefaults.criticOutputDim("smmd", 8)).isEqualTo(8);
        assertThat(RunDefaults.sigmas("smmd", "rbf-mix", List.of(2.0))).containsExactly(2.0);
    }

    @Test
    void trainingConfigDefaultsAreTheNonToyRow() {
        assertThat(TrainingConfig.DEFAULTS).isEqualTo(new TrainingConfig(64, 5, 1e-4, 1e-4, 0.5, 0.9, 0, 0, SpectralNorm.Mode.NONE,
                1 / 0.55, dev.mmdgan.engine.graph.Initialization.HE_NORMAL));
        assertThat(RunDefaults.training("dcgan-28")).isEqualTo(TrainingConfig.DEFAULTS
                .withInitialization(dev.mmdgan.engine.graph.Initialization.PYTORCH));
        assertThat(RunDefaults.training("mlp-2d")).isEqualTo(TrainingConfig.DEFAULTS.withBatch(128).withLearningRates(1e-3, 1e-3));
    }

    @Test
    void aRunThatSetsOnlyDataArchitectureLossAndSteps() {
        RunSpec moons = RunDefaults.spec("moons", null, "mlp-2d", "mmd", 2000);
        assertThat(moons).isEqualTo(new RunSpec("moons", null, "mlp-2d", 0, "mmd", 0.5, "rq-mix", List.of(), List.of(0.2, 1.0, 5.0),
                RunDefaults.training("mlp-2d"), 2000, 1000, new DataOptions(0.1, 10_000, 0.1)));
        RunSpec smmd = RunDefaults.spec("moons", null, "mlp-2d", "smmd", 10);
        assertThat(smmd.criticOutputDim()).isEqualTo(1);
        assertThat(smmd.kernel()).isEqualTo("rbf-mix");
        assertThat(smmd.sigmas()).containsExactly(1.0);
        assertThat(smmd.alphas()).isEmpty();
    }
}
