package dev.mmdgan.core.kid;

import dev.mmdgan.core.kernel.PolynomialKernel;

/**
 * How KID is estimated.
 *
 * @param subsets    number of random subsets (default 100)
 * @param subsetSize rows drawn without replacement from each set per subset (default 1000)
 * @param seed       seed of the draws; the same seed gives the same subsets
 * @param kernel     the kernel (default: poly, d = 3, γ = 1/dim, c = 1)
 */
public record KidConfig(int subsets, int subsetSize, long seed, PolynomialKernel kernel) {

    public static final int DEFAULT_SUBSETS = 100;
    public static final int DEFAULT_SUBSET_SIZE = 1000;
    public static final long DEFAULT_SEED = 0;

    public KidConfig {
        if (subsets < 1) {
            throw new IllegalArgumentException("subsets must be ≥ 1, got " + subsets);
        }
        if (subsetSize < 2) {
            throw new IllegalArgumentException("subset size must be ≥ 2 (an unbiased MMD² needs pairs), got " + subsetSize);
        }
    }

    public static KidConfig defaults() {
        return new KidConfig(DEFAULT_SUBSETS, DEFAULT_SUBSET_SIZE, DEFAULT_SEED, PolynomialKernel.KID);
    }

    public KidConfig withSubsets(int subsets, int subsetSize) {
        return new KidConfig(subsets, subsetSize, seed, kernel);
    }

    public KidConfig withSeed(long seed) {
        return new KidConfig(subsets, subsetSize, seed, kernel);
    }
}
