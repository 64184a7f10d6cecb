package dev.mmdgan.core.kernel;

import static dev.mmdgan.core.PlainLoops.gaussian;
import static dev.mmdgan.core.PlainLoops.toNd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mmdgan.core.PlainLoops;
import dev.mmdgan.core.PlainLoops.PairKernel;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class KernelsTest {

    static Stream<Arguments> kernels() {
        return Stream.of(
                Arguments.of(new GaussianMixtureKernel(List.of(1.0, 2.0, 4.0, 8.0, 16.0)), PlainLoops.rbfMix(1, 2, 4, 8, 16)),
                Arguments.of(new GaussianMixtureKernel(List.of(0.5)), PlainLoops.rbfMix(0.5)),
                Arguments.of(new RationalQuadraticMixtureKernel(List.of(0.2, 0.5, 1.0, 2.0, 5.0), 0),
                        PlainLoops.rqMix(0, 0.2, 0.5, 1, 2, 5)),
                Arguments.of(new RationalQuadraticMixtureKernel(List.of(0.1, 1.0, 10.0), 1), PlainLoops.rqMix(1, 0.1, 1, 10)),
                Arguments.of(new LaplaceKernel(1.0), PlainLoops.laplace(1.0)),
                Arguments.of(new LaplaceKernel(0.3), PlainLoops.laplace(0.3)),
                Arguments.of(new EnergyKernel(), PlainLoops.energy()),
                Arguments.of(new PolynomialKernel(3, null, 1.0), PlainLoops.poly(3, 1.0 / 5, 1.0)),
                Arguments.of(new PolynomialKernel(2, 0.5, 0.25), PlainLoops.poly(2, 0.5, 0.25)),
                Arguments.of(new LinearKernel(), PlainLoops.linear()),
                Arguments.of(BoundedGaussianKernel.DEFAULT, PlainLoops.rbfMix(1.0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void gramMatchesPlainLoops(Kernel kernel, PairKernel reference) {
        Random random = new Random(7);
        double[][] a = gaussian(random, 9, 5, 0.3, 1.5);
        double[][] b = gaussian(random, 6, 5, -0.2, 1.0);
        double[][] got = kernel.gram(toNd(a), toNd(b)).toDoubleMatrix();
        double[][] want = PlainLoops.gram(reference, a, b);
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                assertThat(got[i][j]).as("K[%d][%d]", i, j).isCloseTo(want[i][j], within(1e-10 * (1 + Math.abs(want[i][j]))));
            }
        }
        // The self-Gram of a set: distances of a point to itself are clamped to exactly 0.
        INDArray batch = toNd(a);
        double[][] self = kernel.gram(batch, batch).toDoubleMatrix();
        for (int i = 0; i < a.length; i++) {
            assertThat(self[i][i]).isCloseTo(reference.k(a[i], a[i]), within(1e-12 * (1 + Math.abs(self[i][i]))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void scalarValueMatchesGram(Kernel kernel, PairKernel reference) {
        Kernel k = kernel instanceof PolynomialKernel p ? p.resolved(5) : kernel;
        Random random = new Random(3);
        double[][] a = gaussian(random, 4, 5, 0, 1);
        double[][] b = gaussian(random, 4, 5, 0.5, 1);
        for (int i = 0; i < 4; i++) {
            double value = k.value(PlainLoops.dot(a[i], b[i]), PlainLoops.dot(a[i], a[i]), PlainLoops.dot(b[i], b[i]));
            assertThat(value).isCloseTo(reference.k(a[i], b[i]), within(1e-10 * (1 + Math.abs(value))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void partialsMatchFiniteDifferencesOfTheScalarForm(Kernel kernel, PairKernel unused) {
        Kernel k = kernel instanceof PolynomialKernel p ? p.resolved(5) : kernel;
        Random random = new Random(5);
        double[][] a = gaussian(random, 4, 5, 0, 1);
        double[][] b = gaussian(random, 3, 5, 0.5, 1);
        KernelPartials<INDArray> partials = k.partials(Nd4jAlgebra.INSTANCE, Nd4jAlgebra.pairTerms(toNd(a), toNd(b)));
        double h = 1e-6;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                double dot = PlainLoops.dot(a[i], b[j]);
                double na = PlainLoops.dot(a[i], a[i]);
                double nb = PlainLoops.dot(b[j], b[j]);
                double wantDot = (k.value(dot + h, na, nb) - k.value(dot - h, na, nb)) / (2 * h);
                double wantNb = (k.value(dot, na, nb + h) - k.value(dot, na, nb - h)) / (2 * h);
                double gotDot = partials.dDot() == null ? 0 : partials.dDot().getDouble(i, j);
                double gotNb = partials.dSqNormB() == null ? 0 : partials.dSqNormB().getDouble(i, j);
                assertThat(gotDot).as("%s ∂/∂dot [%d][%d]", k.name(), i, j).isCloseTo(wantDot, within(1e-6 * (1 + Math.abs(wantDot))));
                assertThat(gotNb).as("%s ∂/∂‖b‖² [%d][%d]", k.name(), i, j).isCloseTo(wantNb, within(1e-6 * (1 + Math.abs(wantNb))));
            }
        }
    }

    @Test
    void floatInputsGiveFloatGramCloseToDouble() {
        Random random = new Random(11);
        double[][] a = gaussian(random, 20, 8, 0, 1);
        Kernel k = Kernels.byName("rbf-mix");
        INDArray single = k.gram(toNd(a).castTo(DataType.FLOAT), toNd(a).castTo(DataType.FLOAT));
        assertThat(single.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(single.castTo(DataType.DOUBLE).equalsWithEps(k.gram(toNd(a), toNd(a)), 1e-4)).isTrue();
    }

    @Test
    void squaredDistancesAreClampedAtZero() {
        // Nearly identical large vectors: ‖a‖² + ‖b‖² − 2⟨a,b⟩ cancels catastrophically in float32.
        INDArray a = toNd(new double[][] {{1000.0, 1000.0001, 999.9999}}).castTo(DataType.FLOAT);
        INDArray d2 = Nd4jAlgebra.pairTerms(a, a.dup()).squaredDistances(Nd4jAlgebra.INSTANCE);
        assertThat(d2.minNumber().doubleValue()).isGreaterThanOrEqualTo(0.0);
        assertThat(new LaplaceKernel(1).gram(a, a).getDouble(0, 0)).isLessThanOrEqualTo(1.0);
    }

    @Test
    void boundedGaussianClipsByPairKindAndLoss() {
        BoundedGaussianKernel k = BoundedGaussianKernel.DEFAULT;
        // One pair at squared distance 0.01 (below b_l = 0.25) and one at 9 (above b_u = 4).
        INDArray near = toNd(new double[][] {{0, 0}, {0.1, 0}});
        INDArray far = toNd(new double[][] {{0, 0}, {3, 0}});
        double kNearLower = Math.exp(-0.25 / 2);
        double kFarUpper = Math.exp(-4.0 / 2);
        double kNear = Math.exp(-0.01 / 2);
        double kFar = Math.exp(-9.0 / 2);
        var rep = BoundedGaussianKernel.LossMode.REPULSIVE;
        var att = BoundedGaussianKernel.LossMode.ATTRACTIVE;
        assertThat(k.gram(near, near, BoundedGaussianKernel.PairKind.GENERATED_GENERATED, rep).getDouble(0, 1)).isCloseTo(kNearLower, within(1e-12));
        assertThat(k.gram(far, far, BoundedGaussianKernel.PairKind.REAL_REAL, rep).getDouble(0, 1)).isCloseTo(kFarUpper, within(1e-12));
        assertThat(k.gram(near, near, BoundedGaussianKernel.PairKind.REAL_REAL, rep).getDouble(0, 1)).isCloseTo(kNear, within(1e-12));
        assertThat(k.gram(far, far, BoundedGaussianKernel.PairKind.REAL_GENERATED, rep).getDouble(0, 1)).isCloseTo(kFar, within(1e-12));
        assertThat(k.gram(near, near, BoundedGaussianKernel.PairKind.REAL_REAL, att).getDouble(0, 1)).isCloseTo(kNearLower, within(1e-12));
        assertThat(k.gram(far, far, BoundedGaussianKernel.PairKind.REAL_GENERATED, att).getDouble(0, 1)).isCloseTo(kFarUpper, within(1e-12));
        assertThat(k.value(0, 0, 0.01, BoundedGaussianKernel.PairKind.GENERATED_GENERATED, rep)).isCloseTo(kNearLower, within(1e-12));
    }

    @Test
    void registryBuildsEveryNameAndRejectsUnknownOnes() {
        for (String name : Kernels.NAMES) {
            assertThat(Kernels.byName(name).name()).isEqualTo(name);
        }
        assertThat(Kernels.byName("rbf-mix", List.of(2.0, 5.0), List.of())).isEqualTo(new GaussianMixtureKernel(List.of(2.0, 5.0)));
        assertThatThrownBy(() -> Kernels.byName("gauss"))
                .hasMessage("unknown kernel 'gauss'; allowed: rbf-mix, rq-mix, rq-mix-dot, laplace, energy, poly, linear, rbf-b");
        assertThatThrownBy(() -> Kernels.byName("linear", List.of(1.0), List.of())).hasMessageContaining("takes no sigmas");
        assertThatThrownBy(() -> Kernels.byName("rbf-mix", List.of(), List.of(1.0))).hasMessageContaining("takes no alphas");
        assertThatThrownBy(() -> Kernels.byName("rbf-mix", List.of(-1.0), List.of())).hasMessageContaining("must be finite and > 0");
    }

    @Test
    void mismatchedDimensionsAreRejected() {
        assertThatThrownBy(() -> new LinearKernel().gram(toNd(new double[][] {{1, 2}}), toNd(new double[][] {{1, 2, 3}})))
                .hasMessageContaining("feature dimensions differ: 2 vs 3");
    }
}
