package dev.mmdgan.core.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Inner products and squared norms of all pairs (a_i, b_j): everything a kernel of §1 depends on.
 *
 * @param dot     [m, n] matrix of ⟨a_i, b_j⟩
 * @param sqNormA [m, 1] column of ‖a_i‖²
 * @param sqNormB [1, n] row of ‖b_j‖²
 * @param dim     the input dimension d
 * @param self    whether a and b are the same batch (then each row's distance to itself is exactly 0)
 */
public record PairGeometry(INDArray dot, INDArray sqNormA, INDArray sqNormB, long dim, boolean self) {

    public static PairGeometry of(INDArray a, INDArray b) {
        requireMatrices(a, b);
        INDArray dot = a.mmul(b.transpose());
        INDArray sqA = a.mul(a).sum(true, 1);
        INDArray sqB = a == b ? sqA.transpose() : b.mul(b).sum(true, 1).transpose();
        return new PairGeometry(dot, sqA.reshape(a.rows(), 1), sqB.reshape(1, b.rows()), a.columns(), a == b);
    }

    /** Feature dimension check shared by every kernel entry point. */
    public static void requireMatrices(INDArray a, INDArray b) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("kernel inputs must be 2-D [samples, features]; got shapes "
                    + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(b.shape()));
        }
        if (a.columns() != b.columns()) {
            throw new IllegalArgumentException("feature dimensions differ: " + a.columns() + " vs " + b.columns()
                    + "; both sets must have the same number of columns");
        }
    }

    /**
     * ‖a_i − b_j‖², clamped at 0 (rounding can make the expanded form slightly negative). In a self-Gram the
     * diagonal is set to exactly 0: rounding there would otherwise reach √ε ≈ 1e−8 in distance kernels.
     */
    public INDArray squaredDistances() {
        INDArray d = Transforms.max(dot.mul(-2).addiColumnVector(sqNormA).addiRowVector(sqNormB), 0.0, false);
        if (self) {
            for (long i = 0; i < d.rows(); i++) {
                d.putScalar(i, i, 0.0);
            }
        }
        return d;
    }
}
