package dev.mmdgan.core.kernel;

import java.util.List;

/** {@code rbf-mix}: k(a, b) = Σ_σ exp(−‖a−b‖² / (2σ²)). */
public record GaussianMixtureKernel(List<Double> sigmas) implements Kernel {

    /** Li et al.'s bandwidths. */
    public static final List<Double> DEFAULT_SIGMAS = List.of(1.0, 2.0, 4.0, 8.0, 16.0);

    public GaussianMixtureKernel {
        sigmas = Kernels.positive("rbf-mix sigmas", sigmas);
    }

    @Override
    public String name() {
        return "rbf-mix";
    }

    @Override
    public <T> T apply(TensorAlgebra<T> ops, PairTerms<T> pairs) {
        T d2 = pairs.squaredDistances(ops);
        T k = null;
        for (double s : sigmas) {
            T term = ops.exp(ops.scale(d2, -1.0 / (2 * s * s)));
            k = k == null ? term : ops.plus(k, term);
        }
        return k;
    }

    @Override
    public <T> KernelPartials<T> partials(TensorAlgebra<T> ops, PairTerms<T> pairs) {
        T d2 = pairs.squaredDistances(ops);
        T g = null;
        for (double s : sigmas) {
            T term = ops.scale(ops.exp(ops.scale(d2, -1.0 / (2 * s * s))), -1.0 / (2 * s * s));
            g = g == null ? term : ops.plus(g, term);
        }
        return KernelPartials.ofDistance(ops, g, 0);
    }

    @Override
    public double value(double dot, double sqNormA, double sqNormB) {
        double d2 = Kernel.squaredDistance(dot, sqNormA, sqNormB);
        double k = 0;
        for (double s : sigmas) {
            k += Math.exp(-d2 / (2 * s * s));
        }
        return k;
    }
}
