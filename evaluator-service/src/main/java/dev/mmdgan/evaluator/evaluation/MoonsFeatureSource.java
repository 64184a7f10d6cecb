package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.engine.data.Moons;
import dev.mmdgan.engine.features.RawFeatures;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moons checkpoints: KID on the points themselves ({@link RawFeatures}, {@code raw-2d}), against fresh moons drawn with
 * the training data's noise and a seed of their own ({@code seed + HELD_OUT_SEED_OFFSET}), so the real set shares no
 * point with the training set or the trainer's own holdout (seed + 1).
 */
public final class MoonsFeatureSource implements FeatureSource {

    /** Added to the training seed for the evaluator's real set. */
    public static final long HELD_OUT_SEED_OFFSET = 7_919;

    /** The identity {@code Moons.dataset} writes: {@code moons(n=10000, noise=0.1, seed=0[, holdout=…])}. */
    private static final Pattern IDENTITY = Pattern.compile("moons\\(n=(\\d+), noise=([-0-9.eE]+), seed=(-?\\d+)(, .*)?\\)");

    private final int realSamples;

    /** @param realSamples rows of the held-out real set (≥ the KID subset size and the relative-test size) */
    public MoonsFeatureSource(int realSamples) {
        this.realSamples = realSamples;
    }

    @Override
    public boolean supports(String datasetIdentity, long[] sampleShape) {
        return IDENTITY.matcher(datasetIdentity).matches() && Arrays.equals(sampleShape, new long[] {2});
    }

    @Override
    public HeldOut heldOut(String datasetIdentity, long[] sampleShape) {
        Matcher m = IDENTITY.matcher(datasetIdentity);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a moons data set identity: " + datasetIdentity);
        }
        double noise = Double.parseDouble(m.group(2));
        long seed = Long.parseLong(m.group(3));
        long heldOutSeed = seed + HELD_OUT_SEED_OFFSET;
        String key = "moons(noise=" + noise + ", seed=" + heldOutSeed + ", n=" + realSamples + ")";
        return new HeldOut(key, new RawFeatures(2), Moons.sample(realSamples, noise, heldOutSeed));
    }
}
