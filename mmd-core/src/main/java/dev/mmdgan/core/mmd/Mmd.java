package dev.mmdgan.core.mmd;

import dev.mmdgan.core.kernel.Kernel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MMD² between two samples (rows of x and y) and the witness function. */
public final class Mmd {

    private Mmd() {
    }

    public static double mmd2(Kernel kernel, INDArray x, INDArray y, MmdEstimator estimator) {
        return mmd2(GramBlocks.of(kernel, x, y), estimator);
    }

    public static double mmd2(GramBlocks g, MmdEstimator estimator) {
        double m = g.m();
        double n = g.n();
        double sxx = g.kxx().sumNumber().doubleValue();
        double syy = g.kyy().sumNumber().doubleValue();
        double sxy = g.kxy().sumNumber().doubleValue();
        return switch (estimator) {
            case BIASED -> sxx / (m * m) + syy / (n * n) - 2 * sxy / (m * n);
            case UNBIASED -> (sxx - GramBlocks.trace(g.kxx())) / (m * (m - 1))
                    + (syy - GramBlocks.trace(g.kyy())) / (n * (n - 1))
                    - 2 * sxy / (m * n);
            case U_STATISTIC -> {
                if (m != n) {
                    throw new IllegalArgumentException("the U-statistic estimator needs equal sample sizes, got "
                            + (long) m + " and " + (long) n + "; use UNBIASED for unequal sizes");
                }
                yield (sxx - GramBlocks.trace(g.kxx()) + syy - GramBlocks.trace(g.kyy())
                        - 2 * (sxy - GramBlocks.trace(g.kxy()))) / (m * (m - 1));
            }
        };
    }

    /**
     * Witness function f(t) = mean_i k(x_i, t) − mean_j k(y_j, t) at every row of t.
     *
     * @return a vector with one value per row of t, in double
     */
    public static INDArray witness(Kernel kernel, INDArray x, INDArray y, INDArray t) {
        INDArray kx = kernel.gram(x, t).castTo(DataType.DOUBLE).mean(0);
        INDArray ky = kernel.gram(y, t).castTo(DataType.DOUBLE).mean(0);
        return kx.subi(ky);
    }
}
