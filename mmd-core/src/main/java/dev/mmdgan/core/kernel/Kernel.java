package dev.mmdgan.core.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A positive-definite (or conditionally so) kernel k(a, b) on row vectors.
 *
 * <p>Implementations are immutable. {@link #gram} works on whole batches with matrix products; {@link #value}
 * is the same function on one pair, written from the pair's inner product and squared norms.
 */
public interface Kernel {

    /** The registry name, e.g. {@code rbf-mix}; see {@link Kernels#NAMES}. */
    String name();

    /** Gram matrix K[i][j] = k(a_i, b_j) for a: [m, d] and b: [n, d]; result [m, n] in a's data type. */
    default INDArray gram(INDArray a, INDArray b) {
        return fromGeometry(PairGeometry.of(a, b));
    }

    /** The kernel applied element-wise to precomputed pair geometry (the work {@link #gram} does after its product). */
    INDArray fromGeometry(PairGeometry geometry);

    /** k for one pair with inner product {@code dot} and squared norms {@code sqNormA}, {@code sqNormB}. */
    double value(double dot, double sqNormA, double sqNormB);

    /** Squared distance of a pair from its inner product and squared norms, clamped at 0. */
    static double squaredDistance(double dot, double sqNormA, double sqNormB) {
        return Math.max(sqNormA + sqNormB - 2 * dot, 0);
    }
}
