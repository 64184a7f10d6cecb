package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.relative.DecayConfig;
import java.time.Duration;

/**
 * How checkpoints are evaluated (docs/methods.md §7, §8): immutable, built once from the service's configuration.
 *
 * @param samples          generated samples per evaluation (KID and the relative test)
 * @param kid              KID subsets, rows per subset, seed and kernel
 * @param relativeSamples  rows m of the relative test (the first m generated samples against the first m real ones);
 *                         fixed for a run's whole life, since the stored sums of earlier evaluations have this size
 * @param sampleSeed       sample i of every evaluation comes from noise seed {@code sampleSeed + i}: the same noise for
 *                         every checkpoint (common random numbers), so an evaluation repeated after a crash gives the
 *                         same numbers and the same decision
 * @param evaluateEvery    evaluate every k-th checkpoint of a run (1 = each)
 * @param queueCapacity    runs that may wait for an evaluation at once (each with its newest checkpoint only)
 * @param decay            the learning-rate rule
 * @param pictureSamples   samples in the stored picture (a PNG grid, or the points of a 2-D plot)
 * @param storePatience    how long a store operation is retried before the evaluation is reported failed
 */
public record EvaluationSettings(int samples, KidConfig kid, int relativeSamples, long sampleSeed, int evaluateEvery,
                                 int queueCapacity, DecayConfig decay, int pictureSamples, Duration storePatience) {

    public static final int DEFAULT_SAMPLES = 10_000;
    public static final int DEFAULT_RELATIVE_SAMPLES = 2048;
    public static final long DEFAULT_SAMPLE_SEED = 1_000_000_007L;
    public static final int DEFAULT_PICTURE_SAMPLES = 64;

    public EvaluationSettings {
        if (samples < kid.subsetSize()) {
            throw new IllegalArgumentException("samples per evaluation (" + samples + ") must be ≥ the KID subset size ("
                    + kid.subsetSize() + ")");
        }
        if (relativeSamples < 3 || relativeSamples > samples) {
            throw new IllegalArgumentException("relative-test samples must be in [3, samples = " + samples + "], got "
                    + relativeSamples);
        }
        if (evaluateEvery < 1 || queueCapacity < 1 || pictureSamples < 1) {
            throw new IllegalArgumentException("evaluate-every, queue capacity and picture samples must be ≥ 1");
        }
    }

    /** The defaults of docs/methods.md: 10,000 samples, KID 100 × 1000, a relative test of 2048, every checkpoint. */
    public static EvaluationSettings defaults() {
        return new EvaluationSettings(DEFAULT_SAMPLES, KidConfig.defaults(), DEFAULT_RELATIVE_SAMPLES, DEFAULT_SAMPLE_SEED, 1,
                64, DecayConfig.DEFAULT, DEFAULT_PICTURE_SAMPLES, Duration.ofSeconds(60));
    }
}
