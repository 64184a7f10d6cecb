package dev.mmdgan.core.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A positive-definite (or conditionally so) kernel k(a, b) on row vectors.
 *
 * <p>Implementations are immutable. {@link #apply} is the definition, written once against
 * {@link TensorAlgebra} so that the same code builds ND4J Gram matrices and SameDiff training losses;
 * {@link #value} is the same function on one pair, for checks and single evaluations.
 */
public interface Kernel {

    /** The registry name, e.g. {@code rbf-mix}; see {@link Kernels#NAMES}. */
    String name();

    /** The kernel on all pairs described by {@code pairs}: an [m, n] tensor. */
    <T> T apply(TensorAlgebra<T> ops, PairTerms<T> pairs);

    /**
     * The partial derivatives of k at every pair (see {@link KernelPartials}), for gradients of witness
     * functions with respect to their argument (gradient penalties) written as ordinary graph ops.
     */
    <T> KernelPartials<T> partials(TensorAlgebra<T> ops, PairTerms<T> pairs);

    /** Gram matrix K[i][j] = k(a_i, b_j) for a: [m, d] and b: [n, d]; result [m, n] in a's data type. */
    default INDArray gram(INDArray a, INDArray b) {
        return apply(Nd4jAlgebra.INSTANCE, Nd4jAlgebra.pairTerms(a, b));
    }

    /** k for one pair with inner product {@code dot} and squared norms {@code sqNormA}, {@code sqNormB}. */
    double value(double dot, double sqNormA, double sqNormB);

    /** Squared distance of a pair from its inner product and squared norms, clamped at 0. */
    static double squaredDistance(double dot, double sqNormA, double sqNormB) {
        return Math.max(sqNormA + sqNormB - 2 * dot, 0);
    }
}
