package dev.mmdgan.core.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code rbf-b}, the bounded Gaussian kernel of the repulsive loss (Wang et al.; critic loss only).
 *
 * <p>Squared distances are clipped depending on which kind of pair they belong to (docs/methods.md §1):
 * with the repulsive loss, generated–generated pairs use max(d², b_l), real–real pairs min(d², b_u)
 * and cross pairs are not clipped; with the attractive loss both within-set kinds use max(d², b_l)
 * and cross pairs min(d², b_u). Without a pair kind ({@link #gram}) it is the plain Gaussian.
 *
 * @param sigma      σ (default 1)
 * @param lowerBound b_l (default 0.25)
 * @param upperBound b_u (default 4)
 */
public record BoundedGaussianKernel(double sigma, double lowerBound, double upperBound) implements Kernel {

    public static final BoundedGaussianKernel DEFAULT = new BoundedGaussianKernel(1.0, 0.25, 4.0);

    /** Which samples a Gram block compares. */
    public enum PairKind { REAL_REAL, GENERATED_GENERATED, REAL_GENERATED }

    /** Which loss the kernel serves; it decides the clipping. */
    public enum LossMode { REPULSIVE, ATTRACTIVE }

    public BoundedGaussianKernel {
        Kernels.positive("rbf-b sigma", java.util.List.of(sigma));
        if (!(lowerBound >= 0 && lowerBound < upperBound && Double.isFinite(upperBound))) {
            throw new IllegalArgumentException("rbf-b bounds must satisfy 0 ≤ lower < upper < ∞, got lower="
                    + lowerBound + " upper=" + upperBound);
        }
    }

    @Override
    public String name() {
        return "rbf-b";
    }

    @Override
    public <T> T apply(TensorAlgebra<T> ops, PairTerms<T> pairs) {
        return gaussian(ops, pairs.squaredDistances(ops));
    }

    /** Partials of the unclipped Gaussian (gradient penalties use the plain kernel). */
    @Override
    public <T> KernelPartials<T> partials(TensorAlgebra<T> ops, PairTerms<T> pairs) {
        double c = -1.0 / (2 * sigma * sigma);
        return KernelPartials.ofDistance(ops, ops.scale(gaussian(ops, pairs.squaredDistances(ops)), c), 0);
    }

    /** The kernel on one kind of pair under the given loss, with that kind's clipping. */
    public <T> T apply(TensorAlgebra<T> ops, PairTerms<T> pairs, PairKind kind, LossMode mode) {
        T d2 = pairs.squaredDistances(ops);
        T clipped = switch (bound(kind, mode)) {
            case LOWER -> ops.atLeast(d2, lowerBound);
            case UPPER -> ops.atMost(d2, upperBound);
            case NONE -> d2;
        };
        return gaussian(ops, clipped);
    }

    /** The Gram block for one kind of pair under the given loss. */
    public INDArray gram(INDArray a, INDArray b, PairKind kind, LossMode mode) {
        return apply(Nd4jAlgebra.INSTANCE, Nd4jAlgebra.pairTerms(a, b), kind, mode);
    }

    /** Scalar form with clipping, for tests and single pairs. */
    public double value(double dot, double sqNormA, double sqNormB, PairKind kind, LossMode mode) {
        double d2 = Kernel.squaredDistance(dot, sqNormA, sqNormB);
        return Math.exp(-clip(d2, kind, mode) / (2 * sigma * sigma));
    }

    @Override
    public double value(double dot, double sqNormA, double sqNormB) {
        return Math.exp(-Kernel.squaredDistance(dot, sqNormA, sqNormB) / (2 * sigma * sigma));
    }

    private double clip(double d2, PairKind kind, LossMode mode) {
        return switch (bound(kind, mode)) {
            case LOWER -> Math.max(d2, lowerBound);
            case UPPER -> Math.min(d2, upperBound);
            case NONE -> d2;
        };
    }

    private enum Bound { LOWER, UPPER, NONE }

    private static Bound bound(PairKind kind, LossMode mode) {
        return switch (kind) {
            case GENERATED_GENERATED -> Bound.LOWER;
            case REAL_REAL -> mode == LossMode.REPULSIVE ? Bound.UPPER : Bound.LOWER;
            case REAL_GENERATED -> mode == LossMode.REPULSIVE ? Bound.NONE : Bound.UPPER;
        };
    }

    private <T> T gaussian(TensorAlgebra<T> ops, T d2) {
        return ops.exp(ops.scale(d2, -1.0 / (2 * sigma * sigma)));
    }
}
