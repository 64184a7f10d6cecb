package dev.mmdgan.core.kernel;

/**
 * Partial derivatives of a kernel seen as a function h(⟨a,b⟩, ‖a‖², ‖b‖²), at every pair: what the gradient
 * of k(a, b) with respect to b needs, ∇_b k = (∂h/∂⟨a,b⟩)·a + 2(∂h/∂‖b‖²)·b.
 *
 * @param dDot     ∂h/∂⟨a,b⟩, [m, n], or null where it is 0
 * @param dSqNormB ∂h/∂‖b‖², [m, n], or null where it is 0
 * @param <T>      the tensor type
 */
public record KernelPartials<T>(T dDot, T dSqNormB) {

    /** Partials of a kernel k = g(d²) + c·⟨a,b⟩ given g'(d²): ∂/∂⟨a,b⟩ = −2g' + c and ∂/∂‖b‖² = g'. */
    static <T> KernelPartials<T> ofDistance(TensorAlgebra<T> ops, T gPrime, double dotWeight) {
        T dDot = ops.scale(gPrime, -2);
        return new KernelPartials<>(dotWeight == 0 ? dDot : ops.shift(dDot, dotWeight), gPrime);
    }
}
