package dev.mmdgan.core.mmd;

import static dev.mmdgan.core.PlainLoops.gaussian;
import static dev.mmdgan.core.PlainLoops.toNd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mmdgan.core.PlainLoops;
import dev.mmdgan.core.kernel.GaussianMixtureKernel;
import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.kernel.LinearKernel;
import dev.mmdgan.core.kernel.RationalQuadraticMixtureKernel;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MmdTest {

    private final Kernel rq = new RationalQuadraticMixtureKernel(List.of(0.2, 1.0, 5.0), 1.0);
    private final PlainLoops.PairKernel rqLoops = PlainLoops.rqMix(1.0, 0.2, 1, 5);

    @Test
    void estimatorsMatchPlainLoops() {
        Random random = new Random(1);
        double[][] x = gaussian(random, 12, 3, 0, 1);
        double[][] y = gaussian(random, 12, 3, 0.4, 1.2);
        double[][] yShort = gaussian(random, 7, 3, 0.4, 1.2);
        assertThat(Mmd.mmd2(rq, toNd(x), toNd(y), MmdEstimator.UNBIASED))
                .isCloseTo(PlainLoops.mmd2Unbiased(rqLoops, x, y), within(1e-12));
        assertThat(Mmd.mmd2(rq, toNd(x), toNd(yShort), MmdEstimator.UNBIASED))
                .isCloseTo(PlainLoops.mmd2Unbiased(rqLoops, x, yShort), within(1e-12));
        assertThat(Mmd.mmd2(rq, toNd(x), toNd(y), MmdEstimator.BIASED))
                .isCloseTo(PlainLoops.mmd2Biased(rqLoops, x, y), within(1e-12));
        assertThat(Mmd.mmd2(rq, toNd(x), toNd(y), MmdEstimator.U_STATISTIC))
                .isCloseTo(PlainLoops.mmd2UStatistic(rqLoops, x, y), within(1e-12));
        assertThatThrownBy(() -> Mmd.mmd2(rq, toNd(x), toNd(yShort), MmdEstimator.U_STATISTIC))
                .hasMessageContaining("equal sample sizes");
    }

    @Test
    void linearKernelMmdIsSquaredMeanDistanceInExpectation() {
        // Closed form: with k = ⟨a,b⟩, population MMD² = ‖μ_x − μ_y‖². Here 3 · 0.5² = 0.75.
        Random random = new Random(2);
        int reps = 400;
        double[] values = new double[reps];
        for (int r = 0; r < reps; r++) {
            values[r] = Mmd.mmd2(new LinearKernel(), toNd(gaussian(random, 20, 3, 0, 1)),
                    toNd(gaussian(random, 20, 3, 0.5, 1)), MmdEstimator.UNBIASED);
        }
        double se = Math.sqrt(PlainLoops.variance(values) / reps);
        assertThat(Math.abs(PlainLoops.mean(values) - 0.75)).isLessThan(4 * se);
    }

    @Test
    void witnessMatchesPlainLoopsAndPointsTowardX() {
        Random random = new Random(4);
        double[][] x = gaussian(random, 30, 2, -1, 0.5);
        double[][] y = gaussian(random, 25, 2, 1, 0.5);
        double[][] t = {{-1, -1}, {1, 1}, {0, 0}};
        Kernel k = new GaussianMixtureKernel(List.of(1.0));
        double[] w = Mmd.witness(k, toNd(x), toNd(y), toNd(t)).toDoubleVector();
        PlainLoops.PairKernel ref = PlainLoops.rbfMix(1.0);
        for (int i = 0; i < t.length; i++) {
            double want = PlainLoops.crossMean(ref, x, new double[][] {t[i]}) - PlainLoops.crossMean(ref, y, new double[][] {t[i]});
            assertThat(w[i]).isCloseTo(want, within(1e-12));
        }
        assertThat(w[0]).isPositive();
        assertThat(w[1]).isNegative();
    }

    @Test
    void varianceEstimateMatchesMonteCarloVariance() {
        // The opt-mmd variance estimate, averaged over draws, should match the empirical variance of MMD²_u.
        Kernel k = new GaussianMixtureKernel(List.of(1.0));
        Random random = new Random(5);
        int reps = 600;
        int m = 40;
        double[] values = new double[reps];
        double meanVarianceEstimate = 0;
        for (int r = 0; r < reps; r++) {
            MmdVariance mv = MmdVariance.of(GramBlocks.of(k, toNd(gaussian(random, m, 2, 0, 1)), toNd(gaussian(random, m, 2, 0.5, 1))));
            values[r] = mv.mmd2();
            meanVarianceEstimate += mv.variance() / reps;
        }
        double empirical = PlainLoops.variance(values);
        // The empirical variance itself has relative standard error ≈ √(2/reps) ≈ 6%; allow 25%.
        assertThat(meanVarianceEstimate).isCloseTo(empirical, within(0.25 * empirical));
    }

    @Test
    void varianceMmdAgreesWithEstimator() {
        Random random = new Random(6);
        GramBlocks g = GramBlocks.of(rq, toNd(gaussian(random, 15, 3, 0, 1)), toNd(gaussian(random, 15, 3, 0.3, 1)));
        assertThat(MmdVariance.of(g).mmd2()).isCloseTo(Mmd.mmd2(g, MmdEstimator.UNBIASED), within(1e-12));
    }
}
