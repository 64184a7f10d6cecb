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

    @Override
    public double value(double dot, double sqNormA, double sqNormB) {
        return Math.exp(-Math.sqrt(Kernel.squaredDistance(dot, sqNormA, sqNormB)) / sigma);
    }
}
