package dev.mmdgan.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Power-iteration spectral norm against an SVD (commons-math), and the normalized weights in the graph. */
class SpectralNormTest {

    private static double topSingularValue(INDArray w) {
        return new SingularValueDecomposition(MatrixUtils.createRealMatrix(w.toDoubleMatrix())).getSingularValues()[0];
    }

    @Test
    void powerIterationConvergesToTheLargestSingularValue() {
        Parameters p = new Parameters("D/", DataType.DOUBLE, new SpectralNorm(SpectralNorm.Mode.PIM));
        p.denseWeight("W0", new Random(1), 7, 5);
        INDArray w = p.get("D/W0");
        for (int i = 0; i < 200; i++) {
            p.spectralNorm().iterate(p);
        }
        assertThat(p.spectralNorm().sigma("D/W0", w)).isCloseTo(topSingularValue(w), within(1e-8));
    }

    @Test
    void normalizedWeightsHaveSpectralNormOneOrGamma() {
        for (SpectralNorm.Mode mode : new SpectralNorm.Mode[] {SpectralNorm.Mode.PIM, SpectralNorm.Mode.LEARNED_SCALE}) {
            Parameters p = new Parameters("D/", DataType.DOUBLE, new SpectralNorm(mode));
            p.denseWeight("W0", new Random(2), 6, 4);
            if (mode == SpectralNorm.Mode.LEARNED_SCALE) {
                assertThat(p.names()).contains("D/gamma_W0");
                p.get("D/gamma_W0").assign(2.5);
            }
            for (int i = 0; i < 200; i++) {
                p.spectralNorm().iterate(p);
            }
            SameDiff sd = SameDiff.create();
            p.bind(sd, "W0").rename("wbar");
            INDArray wbar = sd.output(p.spectralNorm().feed(), "wbar").get("wbar");
            double want = mode == SpectralNorm.Mode.PIM ? 1.0 : 2.5;
            assertThat(topSingularValue(wbar)).as(mode.label()).isCloseTo(want, within(1e-8));
        }
    }

    @Test
    void unknownModesAreRejected() {
        assertThatThrownBy(() -> SpectralNorm.Mode.byName("pico")).hasMessageContaining("pico needs convolutional critics");
        assertThatThrownBy(() -> SpectralNorm.Mode.byName("x")).hasMessage("unknown spectral norm 'x'; allowed: none, pim, learned-scale");
        assertThat(Map.of()).isEmpty();
    }
}
