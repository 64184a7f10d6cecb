package dev.mmdgan.core.kernel;

import java.util.List;

/**
 * {@code rq-mix}: k(a, b) = Σ_α (1 + ‖a−b‖²/(2α))^(−α), and {@code rq-mix-dot} ("rq*"), which adds
 * c·⟨a, b⟩ (Bińkowski et al.'s default critic kernel).
 *
 * @param alphas    the shape parameters α
 * @param dotWeight c, the weight of the linear term; 0 for plain rq-mix
 */
public record RationalQuadraticMixtureKernel(List<Double> alphas, double dotWeight) implements Kernel {

    /** The paper's α (seed 003 quotes it). */
    public static final List<Double> DEFAULT_ALPHAS = List.of(0.2, 0.5, 1.0, 2.0, 5.0);

    public RationalQuadraticMixtureKernel {
        alphas = Kernels.positive("rq-mix alphas", alphas);
        if (!Double.isFinite(dotWeight) || dotWeight < 0) {
            throw new IllegalArgumentException("rq-mix-dot dot weight must be finite and ≥ 0, got " + dotWeight);
        }
    }

    @Override
    public String name() {
        return dotWeight == 0 ? "rq-mix" : "rq-mix-dot";
    }

    @Override
    public <T> T apply(TensorAlgebra<T> ops, PairTerms<T> pairs) {
        T d2 = pairs.squaredDistances(ops);
        T k = dotWeight == 0 ? null : ops.scale(pairs.dot(), dotWeight);
        for (double a : alphas) {
            T term = ops.pow(ops.shift(ops.scale(d2, 1.0 / (2 * a)), 1.0), -a);
            k = k == null ? term : ops.plus(k, term);
        }
        return k;
    }

    /** g'(d²) = Σ_α −½ (1 + d²/(2α))^(−α−1). */
    @Override
    public <T> KernelPartials<T> partials(TensorAlgebra<T> ops, PairTerms<T> pairs) {
        T d2 = pairs.squaredDistances(ops);
        T g = null;
        for (double a : alphas) {
            T term = ops.scale(ops.pow(ops.shift(ops.scale(d2, 1.0 / (2 * a)), 1.0), -a - 1), -0.5);
            g = g == null ? term : ops.plus(g, term);
        }
        return KernelPartials.ofDistance(ops, g, dotWeight);
    }

    @Override
    public double value(double dot, double sqNormA, double sqNormB) {
        double d2 = Kernel.squaredDistance(dot, sqNormA, sqNormB);
        double k = dotWeight * dot;
        for (double a : alphas) {
            k += Math.pow(1 + d2 / (2 * a), -a);
        }
        return k;
    }
}
