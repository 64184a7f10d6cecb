package dev.mmdgan.core.kid;

import static dev.mmdgan.core.PlainLoops.gaussian;
import static dev.mmdgan.core.PlainLoops.toNd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mmdgan.core.PlainLoops;
import dev.mmdgan.core.kernel.PolynomialKernel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class KidTest {

    /** Non-negative O(1) features like a ReLU network's, rounded to float32 so both sides see the same inputs. */
    private static double[][] features(Random random, int n, int dim, double scale) {
        double[][] x = new double[n][dim];
        for (double[] row : x) {
            for (int j = 0; j < dim; j++) {
                row[j] = (float) (scale * random.nextDouble());
            }
        }
        return x;
    }

    @Test
    void wholeSetKidAgreesWithDoubleLoopsToOneInAMillionAtDim2048() {
        Random random = new Random(1);
        int dim = 2048;
        double[][] real = features(random, 300, dim, 1.0);
        double[][] fake = features(random, 300, dim, 1.1);
        KidResult kid = KidReference.kid(toNd(real).castTo(DataType.FLOAT), toNd(fake).castTo(DataType.FLOAT),
                new KidConfig(1, 300, 0, PolynomialKernel.KID));
        double want = PlainLoops.mmd2Unbiased(PlainLoops.poly(3, 1.0 / dim, 1), real, fake);
        assertThat(kid.mean()).isCloseTo(want, within(1e-6));
        assertThat(kid.subsets()).isEqualTo(1);
        assertThat(kid.stderr()).isNaN();
    }

    @Test
    void gaussianFeaturesAgreeWithDoubleLoops() {
        Random random = new Random(2);
        double[][] real = gaussian(random, 120, 64, 0, 1);
        double[][] fake = gaussian(random, 150, 64, 0.1, 1);
        KidResult kid = KidReference.kid(toNd(real), toNd(fake), new KidConfig(1, 120, 0, PolynomialKernel.KID));
        // fake has 150 rows, so its subset is a random 120 of them; compare on the whole real set instead:
        KidResult full = KidReference.kid(toNd(real), toNd(Arrays.copyOf(fake, 120)), new KidConfig(1, 120, 0, PolynomialKernel.KID));
        assertThat(full.mean()).isCloseTo(PlainLoops.mmd2Unbiased(PlainLoops.poly(3, 1.0 / 64, 1), real, Arrays.copyOf(fake, 120)), within(1e-6));
        assertThat(kid.nFake()).isEqualTo(150);
        assertThat(kid.featureDim()).isEqualTo(64);
    }

    @Test
    void blockEstimatorMatchesPlainLoopsOnContiguousBlocks() {
        Random random = new Random(3);
        double[][] real = features(random, 250, 32, 1.0);
        double[][] fake = features(random, 230, 32, 1.2);
        KidResult kid = KidBlocks.kid(toNd(real), toNd(fake), 100, PolynomialKernel.KID);
        // ⌈250/100⌉ = 3 blocks: real 84, 83, 83 rows; fake 77, 77, 76 (numpy.array_split).
        int[] realCuts = {0, 84, 167, 250};
        int[] fakeCuts = {0, 77, 154, 230};
        double[] want = new double[3];
        for (int b = 0; b < 3; b++) {
            want[b] = PlainLoops.mmd2Unbiased(PlainLoops.poly(3, 1.0 / 32, 1),
                    Arrays.copyOfRange(real, realCuts[b], realCuts[b + 1]), Arrays.copyOfRange(fake, fakeCuts[b], fakeCuts[b + 1]));
        }
        double mean = Arrays.stream(want).average().orElseThrow();
        double var1 = Arrays.stream(want).map(v -> (v - mean) * (v - mean)).sum() / 2;
        assertThat(kid.subsets()).isEqualTo(3);
        assertThat(kid.subsetSize()).isEqualTo(84);
        assertThat(kid.mean()).isCloseTo(mean, within(1e-6));
        assertThat(kid.stderr()).isCloseTo(Math.sqrt(var1 / 3), within(1e-6));
    }

    @Test
    void summaryStatisticsFollowTheirDefinitions() {
        Random random = new Random(4);
        KidResult kid = KidReference.kid(toNd(features(random, 200, 16, 1)), toNd(features(random, 200, 16, 1.3)),
                new KidConfig(25, 50, 7, PolynomialKernel.KID));
        double[] v = kid.values();
        double mean = Arrays.stream(v).average().orElseThrow();
        double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
        assertThat(kid.mean()).isCloseTo(mean, within(1e-15));
        assertThat(kid.std()).isCloseTo(Math.sqrt(ss / 25), within(1e-15));
        assertThat(kid.stderr()).isCloseTo(Math.sqrt(ss / 24 / 25), within(1e-15));
    }

    @Test
    void cachedReferenceGivesTheOneShotNumbersAndIsSeedable() {
        Random random = new Random(5);
        INDArray real = toNd(features(random, 300, 24, 1)).castTo(DataType.FLOAT);
        INDArray fake = toNd(features(random, 280, 24, 1.2)).castTo(DataType.FLOAT);
        KidConfig config = new KidConfig(10, 100, 42, PolynomialKernel.KID);
        KidReference reference = KidReference.prepare(real, config);
        double[] first = reference.evaluate(fake).values();
        assertThat(reference.evaluate(fake).values()).containsExactly(first);
        assertThat(KidReference.kid(real, fake, config).values()).containsExactly(first);
        assertThat(KidReference.kid(real, fake, config.withSeed(43)).values()).isNotEqualTo(first);
    }

    @Test
    void kidIsUnbiased() {
        // poly with d = 1, γ = 1, c = 0 is the linear kernel: population MMD² = ‖μ_x − μ_y‖² = 4 · 0.25² = 0.25.
        PolynomialKernel linear = new PolynomialKernel(1, 1.0, 0.0);
        Random random = new Random(6);
        int reps = 300;
        double[] kids = new double[reps];
        for (int r = 0; r < reps; r++) {
            kids[r] = KidReference.kid(toNd(gaussian(random, 40, 4, 0, 1)), toNd(gaussian(random, 40, 4, 0.25, 1)),
                    new KidConfig(5, 20, r, linear)).mean();
        }
        double se = Math.sqrt(PlainLoops.variance(kids) / reps);
        assertThat(Math.abs(PlainLoops.mean(kids) - 0.25)).isLessThan(3.5 * se);
        // A biased (V-statistic) estimate would be off by 2·tr(Σ)/m = 0.4: far outside this band.
        assertThat(3.5 * se).isLessThan(0.1);
    }

    @Test
    void sameDistributionCanGiveSlightlyNegativeKid() {
        Random random = new Random(7);
        KidResult kid = KidReference.kid(toNd(features(random, 400, 8, 1)), toNd(features(random, 400, 8, 1)),
                new KidConfig(20, 100, 0, PolynomialKernel.KID));
        assertThat(Arrays.stream(kid.values()).anyMatch(v -> v < 0)).isTrue();
        assertThat(Math.abs(kid.mean())).isLessThan(5 * kid.std());
    }

    @Test
    void tooFewSamplesNamesBothNumbersAndTheFix() {
        Random random = new Random(8);
        INDArray small = toNd(features(random, 50, 4, 1));
        INDArray big = toNd(features(random, 500, 4, 1));
        assertThatThrownBy(() -> KidReference.kid(big, small, KidConfig.defaults().withSubsets(10, 100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the fake set has 50 samples, fewer than the subset size 100; lower the subset size to at most 50"
                        + " (--subset-size 50) or provide more samples");
        assertThatThrownBy(() -> KidReference.kid(small, big, KidConfig.defaults().withSubsets(10, 100)))
                .hasMessageContaining("the real set has 50 samples");
        assertThatThrownBy(() -> KidReference.kid(big, toNd(features(random, 500, 5, 1)), KidConfig.defaults().withSubsets(2, 100)))
                .hasMessageContaining("feature dimensions differ: real has 4 columns, fake has 5");
    }
}
