package dev.mmdgan.core.relative;

/**
 * The learning-rate decay rule of docs/methods.md §8.2.
 *
 * @param window      compare with the evaluation this many evaluations back (10)
 * @param maxFailures consecutive failed tests that trigger a decay (3)
 * @param decayFactor multiply the learning rate by this on a decay (0.8, Arbel et al.; mbinkowski uses 0.5)
 * @param floor       the learning rate never goes below this (1e−6)
 * @param pThreshold  a test with p above this fails (0.1)
 */
public record DecayConfig(int window, int maxFailures, double decayFactor, double floor, double pThreshold) {

    public static final DecayConfig DEFAULT = new DecayConfig(10, 3, 0.8, 1e-6, 0.1);

    public DecayConfig {
        if (window < 1) {
            throw new IllegalArgumentException("decay window must be ≥ 1, got " + window);
        }
        if (maxFailures < 1) {
            throw new IllegalArgumentException("max failures must be ≥ 1, got " + maxFailures);
        }
        if (!(decayFactor > 0 && decayFactor < 1)) {
            throw new IllegalArgumentException("decay factor must be in (0, 1), got " + decayFactor);
        }
        if (!(floor >= 0) || !Double.isFinite(floor)) {
            throw new IllegalArgumentException("learning-rate floor must be finite and ≥ 0, got " + floor);
        }
        if (!(pThreshold > 0 && pThreshold < 1)) {
            throw new IllegalArgumentException("p threshold must be in (0, 1), got " + pThreshold);
        }
    }
}
