package dev.mmdgan.core.kernel;


/** {@code laplace}: k(a, b) = exp(−‖a−b‖ / σ). */
public record LaplaceKernel(double sigma) implements Kernel {

    public LaplaceKernel {
        Kernels.positive("laplace sigma", java.util.List.of(sigma));
    }

    @Override
    public String name() {
        return "laplace";
    }

    @Override
    public <T> T apply(TensorAlgebra<T> ops, PairTerms<T> pairs) {
        return ops.exp(ops.scale(ops.sqrt(pairs.squaredDistances(ops)), -1.0 / sigma));
    }

    /** g'(d²) = −exp(−r/σ) / (2σr), r = ‖a−b‖ (unbounded as r → 0; the graph's √ keeps it finite). */
    @Override
    public <T> KernelPartials<T> partials(TensorAlgebra<T> ops, PairTerms<T> pairs) {
        T r = ops.sqrt(pairs.squaredDistances(ops));
        T g = ops.scale(ops.mul(ops.exp(ops.scale(r, -1.0 / sigma)), ops.pow(r, -1)), -1.0 / (2 * sigma));
        return KernelPartials.ofDistance(ops, g, 0);
    }

    @Override
    public double value(double dot, double sqNormA, double sqNormB) {
        return Math.exp(-Math.sqrt(Kernel.squaredDistance(dot, sqNormA, sqNormB)) / sigma);
    }
}
