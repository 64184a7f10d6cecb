package dev.mmdgan.engine.model;

import java.util.SplittableRandom;
import org.apache.commons.math3.special.Erf;

/**
 * The generator's noise z as a pure function of a seed, so that a sample depends on its own seed alone: the same
 * whether it is asked for alone or among others.
 *
 * <p>Component j of z(seed) is the j-th {@code nextGaussian()} of {@code new SplittableRandom(seed)}: independent
 * N(0, 1) values, the distribution the trainer draws z from.
 *
 * <p>Truncation ψ > 0 (the "truncation trick"): each component with |z_j| > ψ is replaced by a draw from N(0, 1)
 * conditioned on [−ψ, ψ]; components already within ψ stay exactly as they are. Nothing is rescaled (scaling would
 * change the distribution of the kept values too). ψ ≤ 0 means no truncation.
 */
public final class LatentNoise {

    private static final double SQRT2 = Math.sqrt(2);

    private LatentNoise() {
    }

    /** z(seed): {@code dim} independent N(0, 1) values. */
    public static float[] of(long seed, int dim) {
        return of(seed, dim, 0);
    }

    /** z(seed) with every component outside [−ψ, ψ] resampled from the truncated normal; ψ ≤ 0: no truncation. */
    public static float[] of(long seed, int dim, double truncation) {
        if (Double.isNaN(truncation)) {
            throw new IllegalArgumentException("truncation ψ must be a number (≤ 0 for none), got NaN");
        }
        if (dim < 1) {
            throw new IllegalArgumentException("noise dimension must be ≥ 1, got " + dim);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] z = new float[dim];
        for (int j = 0; j < dim; j++) {
            z[j] = (float) random.nextGaussian();
        }
        if (truncation > 0 && truncation < Double.POSITIVE_INFINITY) {
            // The replacements come from a stream of their own, so the kept components are those of the plain z(seed).
            SplittableRandom replacements = new SplittableRandom(seed).split();
            double mass = Erf.erf(truncation / SQRT2); // P(|Z| ≤ ψ)
            for (int j = 0; j < dim; j++) {
                if (Math.abs(z[j]) > truncation) {
                    z[j] = truncatedNormal(replacements.nextDouble(), truncation, mass);
                }
            }
        }
        return z;
    }

    /**
     * The inverse CDF of N(0, 1) conditioned on [−ψ, ψ] at u ∈ [0, 1): Φ⁻¹ of a point uniform between Φ(−ψ) and Φ(ψ),
     * which is √2·erf⁻¹(v·erf(ψ/√2)) for v = 2u − 1.
     */
    private static float truncatedNormal(double u, double psi, double mass) {
        double x = SQRT2 * Erf.erfInv((2 * u - 1) * mass);
        if (Math.abs(x) > psi) {
            x = Math.copySign(psi, x); // the approximate erf⁻¹ at its very ends
        }
        float f = (float) x;
        // Rounding to float may step just past ψ; the next float towards zero lies between x and 0.
        return Math.abs(f) > psi ? Math.nextAfter(f, 0.0) : f;
    }
}
