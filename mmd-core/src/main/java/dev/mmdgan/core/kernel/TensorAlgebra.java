package dev.mmdgan.core.kernel;

/**
 * The element-wise operations kernels are written in. Kernels are defined once against this interface and
 * run on ND4J arrays ({@link Nd4jAlgebra}) for statistics and on SameDiff variables for training, so the
 * statistics and the training loss use the same definitions.
 *
 * @param <T> the tensor type
 */
public interface TensorAlgebra<T> {

    /** x · s */
    T scale(T x, double s);

    /** x + c */
    T shift(T x, double c);

    /** x + y, same shapes */
    T plus(T x, T y);

    /** x − y, same shapes */
    T minus(T x, T y);

    /** x ⊙ y, same shapes */
    T mul(T x, T y);

    T exp(T x);

    /** √x, for x ≥ 0. */
    T sqrt(T x);

    /** x^p element-wise. */
    T pow(T x, double p);

    /** max(x, lo) element-wise. */
    T atLeast(T x, double lo);

    /** min(x, hi) element-wise. */
    T atMost(T x, double hi);

    /** The [m, n] matrix column_i + row_j from an [m, 1] column and a [1, n] row. */
    T outerSum(T column, T row);

    /** x with its diagonal set to 0 (square x). */
    T zeroDiagonal(T x);
}
