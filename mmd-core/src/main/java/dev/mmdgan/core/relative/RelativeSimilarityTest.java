package dev.mmdgan.core.relative;

import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.kernel.PolynomialKernel;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Is the current sample Y closer to the real set X than the earlier sample Z? The statistic and its
 * variance follow docs/methods.md §8.1 (mbinkowski's {@code _np_diff_mmd2_and_ratio_from_sums}) term by term.
 */
public final class RelativeSimilarityTest {

    /** Floor of the variance under the square root of the ratio. */
    public static final double MIN_VARIANCE = 1e-5;

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private RelativeSimilarityTest() {
    }

    /** The test on raw features with the KID kernel (poly, d = 3, γ = 1/dim, c = 1). */
    public static RelativeTestResult test(INDArray real, INDArray current, INDArray previous) {
        Kernel kernel = PolynomialKernel.KID.resolved(real.columns());
        return test(EvaluationSums.of(kernel, real, current), EvaluationSums.of(kernel, real, previous));
    }

    /** The test from stored sums; both must have been taken against the same real set. */
    public static RelativeTestResult test(EvaluationSums y, EvaluationSums z) {
        if (y.size() != z.size()) {
            throw new IllegalArgumentException("the two evaluations have different sizes: " + y.size() + " vs " + z.size());
        }
        double m = y.size();
        double muYY = y.withinSum() / (m * (m - 1));
        double muXY = y.crossSum() / (m * m);
        double muZZ = z.withinSum() / (m * (m - 1));
        double muXZ = z.crossSum() / (m * m);
        double diff = muYY - 2 * muXY - muZZ + 2 * muXZ;

        Terms ty = Terms.of(y, m);
        Terms tz = Terms.of(z, m);
        double eXMuYXMuZ = dot(y.crossRowSums(), z.crossRowSums()) / (m * m * m);

        double firstOrder = 4 * (m - 2) / (m * (m - 1)) * (
                (ty.eYMuYSq - muYY * muYY) + (ty.eXMuYSq - muXY * muXY) + (ty.eYMuXSq - muXY * muXY)
                + (tz.eYMuYSq - muZZ * muZZ) + (tz.eXMuYSq - muXZ * muXZ) + (tz.eYMuXSq - muXZ * muXZ)
                - 2 * (ty.eYMuYYMuX - muYY * muXY)
                - 2 * (eXMuYXMuZ - muXY * muXZ)
                - 2 * (tz.eYMuYYMuX - muZZ * muXZ));
        double secondOrder = 2 / (m * (m - 1)) * (
                (ty.eKyy2 - muYY * muYY) + 2 * (ty.eKxy2 - muXY * muXY)
                + (tz.eKyy2 - muZZ * muZZ) + 2 * (tz.eKxy2 - muXZ * muXZ)
                - 4 * (ty.eYMuYYMuX - muYY * muXY)
                - 4 * (eXMuYXMuZ - muXY * muXZ)
                - 4 * (tz.eYMuYYMuX - muZZ * muXZ));
        double variance = firstOrder + secondOrder;
        double ratio = diff / Math.sqrt(Math.max(variance, MIN_VARIANCE));
        return new RelativeTestResult(diff, variance, ratio, STANDARD_NORMAL.cumulativeProbability(ratio));
    }

    /** The per-evaluation expectations of docs/methods.md §8.1 (written for Y; the same with Z). */
    private record Terms(double eYMuYSq, double eXMuYSq, double eYMuXSq, double eYMuYYMuX, double eKyy2, double eKxy2) {

        static Terms of(EvaluationSums s, double m) {
            return new Terms(
                    (dot(s.withinRowSums(), s.withinRowSums()) - s.withinSquares()) / (m * (m - 1) * (m - 2)),
                    (dot(s.crossRowSums(), s.crossRowSums()) - s.crossSquares()) / (m * m * (m - 1)),
                    (dot(s.crossColumnSums(), s.crossColumnSums()) - s.crossSquares()) / (m * m * (m - 1)),
                    dot(s.withinRowSums(), s.crossColumnSums()) / (m * m * (m - 1)),
                    s.withinSquares() / (m * (m - 1)),
                    s.crossSquares() / (m * m));
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
