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
import org.nd4j.linalg.factory.Nd4j;

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

    /** The [out, in] layout holds the [in, out] weight's values, transposed, and its σ is the same. */
    @Test
    void transposedDenseWeightIsTheTransposeWithTheSameSigma() {
        Parameters plain = new Parameters("D/", DataType.DOUBLE, new SpectralNorm(SpectralNorm.Mode.PIM));
        Parameters transposed = new Parameters("D/", DataType.DOUBLE, new SpectralNorm(SpectralNorm.Mode.PIM));
        plain.denseWeight("W0", new Random(4), 7, 5);
        transposed.transposedDenseWeight("W0", new Random(4), 7, 5);
        INDArray w = transposed.get("D/W0");
        assertThat(w.shape()).containsExactly(5, 7);
        assertThat(w).isEqualTo(plain.get("D/W0").transpose());
        for (int i = 0; i < 200; i++) {
            transposed.spectralNorm().iterate(transposed);
        }
        assertThat(transposed.spectralNorm().sigma("D/W0", w)).isCloseTo(topSingularValue(plain.get("D/W0")), within(1e-8));
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

    /** The matrix of x ↦ conv(x, w) on inputs [in, size, size]: one column per input basis vector. */
    private static INDArray convolutionMatrix(INDArray w, long in, long size, int stride) {
        int k = (int) w.size(0);
        long out = Convolutions.outputSize(size, k, stride);
        int inputs = (int) (in * size * size);
        INDArray basis = Nd4j.eye(inputs).castTo(DataType.DOUBLE).reshape(inputs, in, size, size);
        SameDiff sd = SameDiff.create();
        Convolutions.conv(sd, sd.constant(basis), sd.constant(w), null, k, stride).rename("y");
        return sd.output(Map.of(), "y").get("y").reshape(inputs, w.size(3) * out * out).transpose();
    }

    @Test
    void picoConvergesToTheSpectralNormOfTheConvolution() {
        for (int[] ks : new int[][] {{3, 1}, {4, 2}}) {
            double c = 1.7;
            Parameters p = new Parameters("D/", DataType.DOUBLE, new SpectralNorm(SpectralNorm.Mode.PICO, c));
            p.convWeight("conv", new Random(4), ks[0], 2, 3, new long[] {2, 6, 6}, ks[1]);
            INDArray w = p.get("D/conv");
            for (int i = 0; i < 300; i++) {
                p.spectralNorm().iterate(p);
            }
            double exact = topSingularValue(convolutionMatrix(w, 2, 6, ks[1]));
            assertThat(p.spectralNorm().sigma("D/conv", w)).as("k=%d", ks[0]).isCloseTo(exact, within(1e-7 * exact));
            // It differs from PIM's σ of the reshaped kernel (Wang et al.: σ_PIM⁻¹ within [σ_PICO⁻¹, √(hw)/s·σ_PICO⁻¹]).
            assertThat(topSingularValue(w.reshape(w.length() / 3, 3))).isNotCloseTo(exact, within(1e-3));
            // The graph's W̄ = C·W/σ has spectral norm C as a convolution.
            SameDiff sd = SameDiff.create();
            p.bind(sd, "conv").rename("wbar");
            INDArray wbar = sd.output(p.spectralNorm().feed(), "wbar").get("wbar");
            assertThat(topSingularValue(convolutionMatrix(wbar, 2, 6, ks[1]))).isCloseTo(c, within(1e-6));
        }
    }

    @Test
    void unknownModesAreRejected() {
        assertThatThrownBy(() -> SpectralNorm.Mode.byName("x"))
                .hasMessage("unknown spectral norm 'x'; allowed: none, pim, pico, learned-scale");
    }
}
