package dev.mmdgan.core.kid;

import dev.mmdgan.core.kernel.PolynomialKernel;
import dev.mmdgan.core.linalg.Blas;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sums of poly-kernel values over Gram blocks: float32 products, kernel and sums in double.
 * Holds reusable product buffers, so one instance serves one thread.
 */
final class PolyGramSums {

    private final double gamma;
    private final double coef;
    private final int degree;
    private INDArray within;
    private INDArray cross;
    private float[] row = new float[0];

    PolyGramSums(PolynomialKernel kernel, long dim) {
        this.gamma = kernel.gammaFor(dim);
        this.coef = kernel.coef();
        this.degree = kernel.degree();
    }

    /** Σ_{i≠j} k(a_i, a_j) for the rows of a (row-major float32). */
    double withinOffDiagonal(INDArray a) {
        int n = (int) a.rows();
        within = buffer(within, n, n);
        Blas.gramUpper(a, within);
        FloatBuffer g = within.data().asNioFloat();
        float[] r = row(n);
        double total = 0;
        for (int i = 0; i < n - 1; i++) {
            int len = n - i - 1;
            g.get(i * n + i + 1, r, 0, len);
            total += kernelSum(r, len);
        }
        return 2 * total;
    }

    /** Σ_{i,j} k(a_i, b_j). */
    double cross(INDArray a, INDArray b) {
        int m = (int) a.rows();
        int n = (int) b.rows();
        cross = buffer(cross, m, n);
        Blas.gram(a, b, cross);
        FloatBuffer g = cross.data().asNioFloat();
        float[] r = row(n);
        double total = 0;
        for (int i = 0; i < m; i++) {
            g.get(i * n, r, 0, n);
            total += kernelSum(r, n);
        }
        return total;
    }

    private double kernelSum(float[] dots, int len) {
        double s = 0;
        if (degree == 3) {
            for (int j = 0; j < len; j++) {
                double t = gamma * dots[j] + coef;
                s += t * t * t;
            }
        } else {
            for (int j = 0; j < len; j++) {
                s += Math.pow(gamma * dots[j] + coef, degree);
            }
        }
        return s;
    }

    private float[] row(int n) {
        if (row.length < n) {
            row = new float[n];
        }
        return row;
    }

    private static INDArray buffer(INDArray current, int rows, int cols) {
        if (current != null && current.rows() == rows && current.columns() == cols) {
            return current;
        }
        return Blas.floatMatrix(rows, cols);
    }
}
