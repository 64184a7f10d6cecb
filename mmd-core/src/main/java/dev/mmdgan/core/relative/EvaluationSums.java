package dev.mmdgan.core.relative;

import dev.mmdgan.core.kernel.Kernel;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the relative test needs of one evaluation: sums of K̃_YY = k(Y, Y) with a zero diagonal and of
 * K_XY = k(X, Y) against the fixed real set X. O(m) numbers; the features themselves can be dropped.
 *
 * @param withinRowSums  K̃_YY·1, one per sample y
 * @param withinSquares  ‖K̃_YY‖_F²
 * @param crossColumnSums K_XYᵀ·1, one per sample y
 * @param crossRowSums   K_XY·1, one per real x
 * @param crossSquares   ‖K_XY‖_F²
 */
public record EvaluationSums(double[] withinRowSums, double withinSquares,
                             double[] crossColumnSums, double[] crossRowSums, double crossSquares) {

    public EvaluationSums {
        int m = withinRowSums.length;
        if (m < 3 || crossColumnSums.length != m || crossRowSums.length != m) {
            throw new IllegalArgumentException("evaluation sums need equal sizes m ≥ 3 for Y and X, got "
                    + m + ", " + crossColumnSums.length + ", " + crossRowSums.length);
        }
        withinRowSums = withinRowSums.clone();
        crossColumnSums = crossColumnSums.clone();
        crossRowSums = crossRowSums.clone();
    }

    /** Sums for samples y (rows) against real x (rows), both of size m, with the given kernel. */
    public static EvaluationSums of(Kernel kernel, INDArray x, INDArray y) {
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("the relative test needs sets of equal size; got " + x.rows()
                    + " real and " + y.rows() + " generated samples");
        }
        INDArray xd = x.castTo(DataType.DOUBLE);
        INDArray yd = y.castTo(DataType.DOUBLE);
        INDArray kyy = kernel.gram(yd, yd);
        INDArray kxy = kernel.gram(xd, yd);
        int m = (int) y.rows();
        double[] withinRowSums = kyy.sum(1).toDoubleVector();
        double withinSquares = 0;
        for (int i = 0; i < m; i++) {
            double d = kyy.getDouble(i, i);
            withinRowSums[i] -= d;
            withinSquares -= d * d;
        }
        withinSquares += kyy.mul(kyy).sumNumber().doubleValue();
        return new EvaluationSums(withinRowSums, withinSquares, kxy.sum(0).toDoubleVector(),
                kxy.sum(1).toDoubleVector(), kxy.mul(kxy).sumNumber().doubleValue());
    }

    public int size() {
        return withinRowSums.length;
    }

    /** Σ K̃_YY. */
    public double withinSum() {
        return Arrays.stream(withinRowSums).sum();
    }

    /** Σ K_XY. */
    public double crossSum() {
        return Arrays.stream(crossRowSums).sum();
    }
}
