package dev.mmdgan.engine.features;

import dev.mmdgan.core.kernel.GaussianMixtureKernel;
import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.mmd.Mmd;
import dev.mmdgan.core.mmd.MmdEstimator;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * For low-dimensional data: the unbiased MMD² between generated samples and fresh samples of the true distribution,
 * with one Gaussian kernel whose bandwidth is the median distance between the fresh samples (the median heuristic).
 * Computed on at most {@link #MAX_ROWS} rows of each (the Gram matrices are held in memory, in double).
 */
public final class FreshSampleMmd {

    public static final int MAX_ROWS = 2000;

    /** The estimate and the bandwidth it used. */
    public record Result(double mmd2, double sigma, int rows) {
    }

    private FreshSampleMmd() {
    }

    public static Result of(INDArray fresh, INDArray generated) {
        int rows = (int) Math.min(MAX_ROWS, Math.min(fresh.rows(), generated.rows()));
        if (rows < 2) {
            throw new IllegalArgumentException("MMD² needs at least 2 samples on each side");
        }
        INDArray x = fresh.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all()).castTo(DataType.DOUBLE).dup();
        INDArray y = generated.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all()).castTo(DataType.DOUBLE).dup();
        double sigma = medianDistance(x.toDoubleMatrix());
        Kernel kernel = new GaussianMixtureKernel(List.of(sigma));
        return new Result(Mmd.mmd2(kernel, x, y, MmdEstimator.UNBIASED), sigma, rows);
    }

    /** Median of the pairwise distances between the rows (i < j); a positive floor keeps the kernel defined. */
    static double medianDistance(double[][] x) {
        int n = x.length;
        double[] d = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int c = 0; c < x[i].length; c++) {
                    double t = x[i][c] - x[j][c];
                    s += t * t;
                }
                d[k++] = Math.sqrt(s);
            }
        }
        Arrays.sort(d);
        double m = d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
        return Math.max(m, 1e-6);
    }
}
