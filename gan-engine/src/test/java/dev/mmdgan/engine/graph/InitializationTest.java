package dev.mmdgan.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.engine.train.TrainingConfig;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class InitializationTest {

    /** dcgan-28 with s = 128, drawn by {@code init}: generator and critic. */
    private static Parameters[] dcgan28(Initialization init) {
        Parameters g = new Parameters("G/", DataType.DOUBLE, new SpectralNorm(SpectralNorm.Mode.NONE), init);
        Parameters d = new Parameters("D/", DataType.DOUBLE, new SpectralNorm(SpectralNorm.Mode.NONE), init);
        Dcgan.dcgan28(1, 128).initialize(g, d, new Random(0));
        return new Parameters[] {g, d};
    }

    private static double std(INDArray a) {
        double[] v = a.dup().data().asDouble();
        double mean = 0;
        for (double x : v) {
            mean += x / v.length;
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    @Test
    void heNormalDrawsWhatThePlainFormulaDraws() {
        // The weights runs made before the choice existed had: N(0, 2/fan-in) from the same stream, biases 0.
        Parameters[] p = dcgan28(Initialization.HE_NORMAL);
        Random random = new Random(0);
        double[] expected = new double[100 * 7 * 7 * 128];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = Math.sqrt(2.0 / 100) * random.nextGaussian();
        }
        assertThat(java.util.Arrays.equals(p[0].get("G/dense_W").dup().data().asDouble(), expected)).isTrue();
        assertThat(p[1].get("D/conv0_b").sumNumber().doubleValue()).isZero();
        assertThat(std(p[0].get("G/up0_W"))).isCloseTo(Math.sqrt(2.0 / (4 * 128)), within(0.002));
    }

    @Test
    void pytorchDrawsUniformWeightsAndBiasesWithItsOwnFanIn() {
        Parameters[] p = dcgan28(Initialization.PYTORCH);
        // Linear(100, 6272), Conv2d(1, 64, 4), Linear(6272, 128): fan-in = in_features or in·k².
        // ConvTranspose2d(128, 64, 4) and (64, 1, 4): PyTorch takes out·k², 64·16 and 1·16.
        Object[][] layers = {{"G/dense_W", 100}, {"G/up0_W", 64 * 16}, {"G/out_W", 16}, {"G/out_b", 16},
                {"D/conv0_W", 16}, {"D/conv0_b", 16}, {"D/conv1_W", 64 * 16}, {"D/out_W", 128 * 7 * 7}, {"D/out_b", 128 * 7 * 7}};
        for (Object[] layer : layers) {
            INDArray a = p[0].get((String) layer[0]) != null ? p[0].get((String) layer[0]) : p[1].get((String) layer[0]);
            double bound = 1 / Math.sqrt((Integer) layer[1]);
            assertThat(a.amaxNumber().doubleValue()).as((String) layer[0]).isLessThanOrEqualTo(bound).isGreaterThan(0);
            if (a.length() > 1000) {
                assertThat(std(a)).as((String) layer[0]).isCloseTo(bound / Math.sqrt(3), within(0.05 * bound));
            }
        }
        assertThat(p[0].get("G/dense_bn_gamma").minNumber().doubleValue()).isEqualTo(1.0);
    }

    @Test
    void dcganDrawsNormalWeightsOfStd002() {
        Parameters[] p = dcgan28(Initialization.DCGAN);
        for (String w : List.of("G/dense_W", "G/up0_W")) {
            assertThat(std(p[0].get(w))).as(w).isCloseTo(0.02, within(0.001));
        }
        assertThat(std(p[1].get("D/conv1_W"))).isCloseTo(0.02, within(0.001));
        assertThat(p[1].get("D/out_b").sumNumber().doubleValue()).isZero();
    }

    @Test
    void theChoiceIsPartOfARunsDescriptionAndOldDescriptionsReadAsHeNormal() {
        RunSpec spec = moons(Initialization.PYTORCH);
        Properties p = spec.toProperties();
        assertThat(p.getProperty("init")).isEqualTo("pytorch");
        assertThat(RunSpec.fromProperties(p)).isEqualTo(spec);
        assertThat(spec.configSha256()).isNotEqualTo(moons(Initialization.DCGAN).configSha256());
        p.remove("init");
        assertThat(RunSpec.fromProperties(p).training().initialization()).isEqualTo(Initialization.HE_NORMAL);
        assertThat(moons(Initialization.HE_NORMAL).toProperties()).as("written only when not he-normal").doesNotContainKey("init");
        assertThatThrownBy(() -> Initialization.byName("xavier")).hasMessageContaining("allowed: he-normal, pytorch, dcgan");
    }

    private static RunSpec moons(Initialization init) {
        return new RunSpec("moons", null, "mlp-2d", 0, "mmd", 0.5, "rq-mix", List.of(), List.of(),
                TrainingConfig.DEFAULTS.withInitialization(init), 10, 0);
    }
}
