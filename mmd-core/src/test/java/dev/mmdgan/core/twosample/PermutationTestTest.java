package dev.mmdgan.core.twosample;

import static dev.mmdgan.core.PlainLoops.gaussian;
import static dev.mmdgan.core.PlainLoops.toNd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mmdgan.core.PlainLoops;
import dev.mmdgan.core.kernel.GaussianMixtureKernel;
import dev.mmdgan.core.kernel.Kernel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class PermutationTestTest {

    private final Kernel rbf = new GaussianMixtureKernel(List.of(1.0));

    @Test
    void statisticAndPValueMatchANaivePermutationTest() {
        Random random = new Random(1);
        double[][] x = gaussian(random, 25, 2, 0, 1);
        double[][] y = gaussian(random, 30, 2, 0.4, 1);
        PermutationTestResult r = new PermutationTest(rbf, 400, 0.05).test(toNd(x), toNd(y), 3);
        PlainLoops.PairKernel k = PlainLoops.rbfMix(1.0);
        double observed = PlainLoops.mmd2Unbiased(k, x, y);
        assertThat(r.mmd2()).isCloseTo(observed, within(1e-12));

        // An independent permutation test: reshuffle the pooled rows and recompute MMD² from scratch.
        List<double[]> pooled = new ArrayList<>(List.of(x));
        pooled.addAll(List.of(y));
        int atLeast = 0;
        int perms = 400;
        Random shuffler = new Random(99);
        for (int p = 0; p < perms; p++) {
            Collections.shuffle(pooled, shuffler);
            double v = PlainLoops.mmd2Unbiased(k, pooled.subList(0, 25).toArray(double[][]::new),
                    pooled.subList(25, 55).toArray(double[][]::new));
            if (v >= observed) {
                atLeast++;
            }
        }
        double naiveP = (1.0 + atLeast) / (1.0 + perms);
        // Two Monte Carlo estimates of the same p-value: binomial standard error ≤ 0.025 each.
        assertThat(r.pValue()).isCloseTo(naiveP, within(0.08));
        assertThat(r.permutations()).isEqualTo(400);
        assertThat(r.reject()).isEqualTo(r.pValue() <= 0.05);
    }

    @Test
    void rejectionRateUnderTheNullIsAlpha() {
        Random random = new Random(2);
        int trials = 200;
        int rejections = 0;
        PermutationTest test = new PermutationTest(rbf, 100, 0.05);
        for (int t = 0; t < trials; t++) {
            INDArray x = toNd(gaussian(random, 30, 1, 0, 1));
            INDArray y = toNd(gaussian(random, 30, 1, 0, 1));
            if (test.test(x, y, t).reject()) {
                rejections++;
            }
        }
        // 99.9% two-sided binomial bounds around α·trials = 10.
        BinomialDistribution null0 = new BinomialDistribution(trials, 0.05);
        assertThat(rejections).isBetween(null0.inverseCumulativeProbability(0.0005), null0.inverseCumulativeProbability(0.9995));
    }

    @Test
    void gaussianAndLaplaceWithEqualMeanAndVarianceAreToldApart() {
        // N(0, 1) against Laplace(0, b = 1/√2): same mean and variance, different shape. n = 300, 1-D.
        Random random = new Random(3);
        int n = 300;
        double[][] gauss = gaussian(random, n, 1, 0, 1);
        double[][] laplace = new double[n][1];
        double b = 1 / Math.sqrt(2);
        for (double[] row : laplace) {
            double u = random.nextDouble() - 0.5;
            row[0] = -b * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
        }
        // Choose the bandwidth by test power on the first half, test on the second.
        List<Kernel> candidates = new ArrayList<>();
        for (double sigma : new double[] {0.1, 0.25, 0.5, 1, 2}) {
            candidates.add(new GaussianMixtureKernel(List.of(sigma)));
        }
        INDArray gTrain = toNd(java.util.Arrays.copyOfRange(gauss, 0, n / 2));
        INDArray lTrain = toNd(java.util.Arrays.copyOfRange(laplace, 0, n / 2));
        Kernel chosen = TestPower.rank(candidates, gTrain, lTrain).get(0).kernel();
        PermutationTestResult full = new PermutationTest(chosen, 500, 0.05).test(toNd(gauss), toNd(laplace), 5);
        assertThat(full.reject()).as("p = %s with %s", full.pValue(), chosen).isTrue();
    }

    @Test
    void testPowerRanksCandidatesByTheirCriterion() {
        Random random = new Random(4);
        INDArray x = toNd(gaussian(random, 60, 2, 0, 1));
        INDArray y = toNd(gaussian(random, 60, 2, 0.7, 1));
        List<Kernel> candidates = List.of(new GaussianMixtureKernel(List.of(0.1)), rbf, new GaussianMixtureKernel(List.of(5.0)));
        List<TestPower.Scored> ranked = TestPower.rank(candidates, x, y);
        assertThat(ranked).extracting(TestPower.Scored::kernel).containsExactlyInAnyOrderElementsOf(candidates);
        for (int i = 0; i < ranked.size(); i++) {
            TestPower.Scored s = ranked.get(i);
            assertThat(s.criterion()).isCloseTo(s.mmd2() / Math.sqrt(Math.max(s.variance(), TestPower.MIN_VARIANCE)), within(1e-12));
            if (i > 0) {
                assertThat(s.criterion()).isLessThanOrEqualTo(ranked.get(i - 1).criterion());
            }
        }
        // A clear mean shift: the chosen kernel's criterion is well above zero.
        assertThat(ranked.get(0).criterion()).isGreaterThan(1);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new PermutationTest(rbf, 0, 0.05)).hasMessageContaining("permutations must be ≥ 1");
        assertThatThrownBy(() -> new PermutationTest(rbf, 10, 1.5)).hasMessageContaining("alpha must be in (0, 1)");
        assertThatThrownBy(() -> new PermutationTest(rbf, 10, 0.05).test(toNd(new double[][] {{1}, {2}}),
                toNd(new double[][] {{1, 2}, {3, 4}}), 0)).hasMessageContaining("feature dimensions differ");
    }
}
