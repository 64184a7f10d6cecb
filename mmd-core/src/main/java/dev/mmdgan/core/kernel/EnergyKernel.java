package dev.mmdgan.core.kernel;


/**
 * {@code energy}, the distance-induced kernel with centre z0 = 0: k(a, b) = ½(‖a‖ + ‖b‖ − ‖a−b‖).
 * Its MMD² is half the energy distance.
 */
public record EnergyKernel() implements Kernel {

    @Override
    public String name() {
        return "energy";
    }

    @Override
    public <T> T apply(TensorAlgebra<T> ops, PairTerms<T> pairs) {
        T norms = ops.outerSum(ops.sqrt(pairs.sqNormA()), ops.sqrt(pairs.sqNormB()));
        return ops.scale(ops.minus(norms, ops.sqrt(pairs.squaredDistances(ops))), 0.5);
    }

    /** ∂/∂⟨a,b⟩ = 1/(2r), ∂/∂‖b‖² = 1/(4‖b‖) − 1/(4r), r = ‖a−b‖. */
    @Override
    public <T> KernelPartials<T> partials(TensorAlgebra<T> ops, PairTerms<T> pairs) {
        T inverseR = ops.pow(ops.sqrt(pairs.squaredDistances(ops)), -1);
        // 1/‖b_j‖ as a row, spread to [m, n] by adding a zero column
        T inverseNormB = ops.outerSum(ops.scale(pairs.sqNormA(), 0), ops.pow(ops.sqrt(pairs.sqNormB()), -1));
        return new KernelPartials<>(ops.scale(inverseR, 0.5),
                ops.minus(ops.scale(inverseNormB, 0.25), ops.scale(inverseR, 0.25)));
    }

    @Override
    public double value(double dot, double sqNormA, double sqNormB) {
        return 0.5 * (Math.sqrt(sqNormA) + Math.sqrt(sqNormB)
                - Math.sqrt(Kernel.squaredDistance(dot, sqNormA, sqNormB)));
    }
}
