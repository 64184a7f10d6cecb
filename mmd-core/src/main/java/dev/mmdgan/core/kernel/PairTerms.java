package dev.mmdgan.core.kernel;

/**
 * Everything a kernel of docs/methods.md §1 depends on, for all pairs (a_i, b_j) of two batches.
 *
 * @param dot     [m, n] inner products ⟨a_i, b_j⟩
 * @param sqNormA [m, 1] squared norms ‖a_i‖²
 * @param sqNormB [1, n] squared norms ‖b_j‖²
 * @param dim     the input dimension d
 * @param self    whether a and b are the same batch (then each row's distance to itself is exactly 0)
 * @param <T>     the tensor type
 */
public record PairTerms<T>(T dot, T sqNormA, T sqNormB, long dim, boolean self) {

    /**
     * ‖a_i − b_j‖² = ‖a_i‖² + ‖b_j‖² − 2⟨a_i, b_j⟩, clamped at 0 (rounding can make it slightly negative). In a
     * self-Gram the diagonal is set to exactly 0: rounding there would reach √ε ≈ 1e−8 in distance kernels.
     */
    public T squaredDistances(TensorAlgebra<T> ops) {
        T d2 = ops.atLeast(ops.minus(ops.outerSum(sqNormA, sqNormB), ops.scale(dot, 2)), 0);
        return self ? ops.zeroDiagonal(d2) : d2;
    }
}
