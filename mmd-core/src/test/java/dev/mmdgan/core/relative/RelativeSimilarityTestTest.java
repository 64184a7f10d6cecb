package dev.mmdgan.core.relative;

import static dev.mmdgan.core.PlainLoops.gaussian;
import static dev.mmdgan.core.PlainLoops.toNd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mmdgan.core.PlainLoops;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RelativeSimilarityTestTest {

    @Test
    void diffIsTheDifferenceOfTwoUnbiasedMmds() {
        Random random = new Random(1);
        double[][] x = gaussian(random, 30, 4, 0, 1);
        double[][] y = gaussian(random, 30, 4, 0.2, 1);
        double[][] z = gaussian(random, 30, 4, 0.6, 1);
        RelativeTestResult r = RelativeSimilarityTest.test(toNd(x), toNd(y), toNd(z));
        PlainLoops.PairKernel k = PlainLoops.poly(3, 1.0 / 4, 1);
        assertThat(r.diff()).isCloseTo(PlainLoops.mmd2Unbiased(k, x, y) - PlainLoops.mmd2Unbiased(k, x, z), within(1e-10));
        assertThat(r.ratio()).isCloseTo(r.diff() / Math.sqrt(Math.max(r.variance(), 1e-5)), within(1e-12));
    }

    @Test
    void clearlyCloserSampleGivesSmallPAndTheReverseALargeOne() {
        Random random = new Random(2);
        var x = toNd(gaussian(random, 200, 4, 0, 1));
        var close = toNd(gaussian(random, 200, 4, 0, 1));
        var far = toNd(gaussian(random, 200, 4, 1.5, 1));
        assertThat(RelativeSimilarityTest.test(x, close, far).pValue()).isLessThan(0.01);
        assertThat(RelativeSimilarityTest.test(x, far, close).pValue()).isGreaterThan(0.99);
    }

    @Test
    void varianceEstimateMatchesMonteCarloVarianceOfDiff() {
        Random random = new Random(3);
        int reps = 500;
        double[] diffs = new double[reps];
        double meanVariance = 0;
        for (int r = 0; r < reps; r++) {
            RelativeTestResult t = RelativeSimilarityTest.test(toNd(gaussian(random, 40, 3, 0, 1)),
                    toNd(gaussian(random, 40, 3, 0.6, 1)), toNd(gaussian(random, 40, 3, 1.0, 1)));
            diffs[r] = t.diff();
            meanVariance += t.variance() / reps;
        }
        double empirical = PlainLoops.variance(diffs);
        assertThat(meanVariance).isCloseTo(empirical, within(0.3 * empirical));
    }

    @Test
    void unequalSizesAreRejected() {
        Random random = new Random(4);
        assertThatThrownBy(() -> RelativeSimilarityTest.test(toNd(gaussian(random, 10, 2, 0, 1)),
                toNd(gaussian(random, 9, 2, 0, 1)), toNd(gaussian(random, 10, 2, 0, 1))))
                .hasMessageContaining("equal size");
    }
}
