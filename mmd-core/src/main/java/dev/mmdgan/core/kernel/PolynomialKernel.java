package dev.mmdgan.core.kernel;


/**
 * {@code poly}, the KID kernel: k(a, b) = (γ⟨a, b⟩ + c)^d.
 *
 * @param degree d (KID: 3)
 * @param gamma  γ, or {@code null} for 1/dim of the inputs (KID's default)
 * @param coef   c (KID: 1)
 */
public record PolynomialKernel(int degree, Double gamma, double coef) implements Kernel {

    /** The KID kernel: d = 3, γ = 1/dim, c = 1. */
    public static final PolynomialKernel KID = new PolynomialKernel(3, null, 1.0);

    public PolynomialKernel {
        if (degree < 1) {
            throw new IllegalArgumentException("poly degree must be a whole number ≥ 1, got " + degree);
        }
        if (gamma != null && !(gamma > 0 && Double.isFinite(gamma))) {
            throw new IllegalArgumentException("poly gamma must be > 0 (or unset for 1/dim), got " + gamma);
        }
        if (!Double.isFinite(coef) || coef < 0) {
            throw new IllegalArgumentException("poly coef must be finite and ≥ 0, got " + coef);
        }
    }

    @Override
    public String name() {
        return "poly";
    }

    /** γ for inputs of the given dimension. */
    public double gammaFor(long dim) {
        return gamma != null ? gamma : 1.0 / dim;
    }

    /** k from an inner product, for inputs of dimension {@code dim}. */
    public double ofDot(double dot, long dim) {
        double t = gammaFor(dim) * dot + coef;
        return degree == 3 ? t * t * t : Math.pow(t, degree);
    }

    @Override
    public <T> T apply(TensorAlgebra<T> ops, PairTerms<T> pairs) {
        return ops.pow(ops.shift(ops.scale(pairs.dot(), gammaFor(pairs.dim())), coef), degree);
    }

    /** ∂/∂⟨a,b⟩ = dγ(γ⟨a,b⟩ + c)^(d−1); no dependence on the norms. */
    @Override
    public <T> KernelPartials<T> partials(TensorAlgebra<T> ops, PairTerms<T> pairs) {
        double g = gammaFor(pairs.dim());
        return new KernelPartials<>(ops.scale(ops.pow(ops.shift(ops.scale(pairs.dot(), g), coef), degree - 1), degree * g), null);
    }

    /** This kernel with γ fixed for inputs of dimension {@code dim} (so that {@link #value} is defined). */
    public PolynomialKernel resolved(long dim) {
        return new PolynomialKernel(degree, gammaFor(dim), coef);
    }

    /** Defined once γ is fixed: with γ = 1/dim a single pair does not tell dim (see {@link #resolved}). */
    @Override
    public double value(double dot, double sqNormA, double sqNormB) {
        if (gamma == null) {
            throw new IllegalStateException("poly with γ = 1/dim has no pair value until resolved(dim) fixes γ");
        }
        return ofDot(dot, 1);
    }
}
