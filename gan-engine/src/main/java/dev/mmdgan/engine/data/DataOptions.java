package dev.mmdgan.engine.data;

/**
 * How a data set is prepared: the share held out for evaluation, and the size and noise of the generated moons.
 *
 * @param holdoutFraction share of the samples kept out of training, in (0, 0.5]; for {@code npy} the last rows
 *                        of the file, for {@code moons} extra points from another seed. The image sets with their
 *                        own test files ({@code mnist}, {@code fashion-mnist}, {@code cifar10}) ignore it.
 * @param moonsPoints     moons training points, ≥ 2
 * @param moonsNoise      standard deviation of the moons' Gaussian noise, finite and ≥ 0
 */
public record DataOptions(double holdoutFraction, int moonsPoints, double moonsNoise) {

    public static final double DEFAULT_HOLDOUT_FRACTION = 0.1;

    public static final DataOptions DEFAULTS = new DataOptions(DEFAULT_HOLDOUT_FRACTION, Datasets.MOONS_POINTS, Moons.DEFAULT_NOISE);

    public DataOptions {
        if (!(holdoutFraction > 0 && holdoutFraction <= 0.5)) {
            throw new IllegalArgumentException("holdout fraction must be in (0, 0.5], got " + holdoutFraction);
        }
        if (moonsPoints < 2) {
            throw new IllegalArgumentException("moons needs at least 2 points, got " + moonsPoints);
        }
        if (!(moonsNoise >= 0) || !Double.isFinite(moonsNoise)) {
            throw new IllegalArgumentException("moons noise must be finite and ≥ 0, got " + moonsNoise);
        }
    }

    /**
     * Rows held out of {@code n}: ⌊n·fraction⌋, at least 2 (the relative test needs pairs). For the default 0.1 this
     * is exactly n / 10, as before the fraction was configurable: 0.1 as a double is slightly above 1/10, so the
     * product never rounds below an integer n / 10.
     */
    public long holdoutRows(long n) {
        return Math.max(2, (long) Math.floor(n * holdoutFraction));
    }
}
