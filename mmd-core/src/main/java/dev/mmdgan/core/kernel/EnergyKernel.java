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

    @Override
    public double value(double dot, double sqNormA, double sqNormB) {
        return 0.5 * (Math.sqrt(sqNormA) + Math.sqrt(sqNormB)
                - Math.sqrt(Kernel.squaredDistance(dot, sqNormA, sqNormB)));
    }
}
