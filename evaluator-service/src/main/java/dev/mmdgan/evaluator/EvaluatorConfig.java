package dev.mmdgan.evaluator;

import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.relative.DecayConfig;
import dev.mmdgan.evaluator.evaluation.EvaluationSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Map;
import java.time.Duration;

/**
 * The evaluator's own settings ({@code mmdgan.evaluator.*}, or the matching environment variables); the store, Kafka,
 * auth and service groups are service-common's. Defaults are docs/methods.md's (§7, §8.2).
 */
@ConfigMapping(prefix = "mmdgan.evaluator")
public interface EvaluatorConfig {

    /** Local folder for downloaded checkpoints and the event outbox. */
    @WithDefault("${java.io.tmpdir}/mmdgan-evaluator")
    Path workDir();

    /** Generated samples per evaluation. */
    @WithDefault("" + EvaluationSettings.DEFAULT_SAMPLES)
    int samples();

    /** Held-out real samples: generated for moons, the first ones of the test split for image data sets. */
    @WithDefault("10000")
    int realSamples();

    /**
     * Image data sets scored on their standard classifier: name ({@code fashion-mnist}, {@code mnist}) → folder of the
     * IDX files (application.properties names Debian's Fashion-MNIST folder).
     */
    Map<String, Path> imageData();

    @WithDefault("" + KidConfig.DEFAULT_SUBSETS)
    int kidSubsets();

    @WithDefault("" + KidConfig.DEFAULT_SUBSET_SIZE)
    int kidSubsetSize();

    @WithDefault("" + KidConfig.DEFAULT_SEED)
    long kidSeed();

    /** Rows of the relative test (m of docs/methods.md §8.1). */
    @WithDefault("" + EvaluationSettings.DEFAULT_RELATIVE_SAMPLES)
    int relativeSamples();

    /** Noise seed of the first generated sample (sample i uses seed + i). */
    @WithDefault("" + EvaluationSettings.DEFAULT_SAMPLE_SEED)
    long sampleSeed();

    /** Evaluate every k-th checkpoint of a run (1 = every checkpoint). */
    @WithDefault("1")
    int evaluateEvery();

    /** Runs that may wait for an evaluation at once. */
    @WithDefault("64")
    int queueCapacity();

    /** How long store operations of one evaluation are retried before it is reported failed. */
    @WithDefault("60s")
    Duration storePatience();

    Decay decay();

    /** The learning-rate rule (docs/methods.md §8.2). */
    interface Decay {
        @WithDefault("10")
        int window();

        @WithDefault("3")
        int maxFailures();

        @WithDefault("0.8")
        double factor();

        @WithDefault("1e-6")
        double floor();

        @WithDefault("0.1")
        double pThreshold();
    }

    /** The settings record the domain takes. */
    default EvaluationSettings settings() {
        Decay d = decay();
        return new EvaluationSettings(samples(), KidConfig.defaults().withSubsets(kidSubsets(), kidSubsetSize()).withSeed(kidSeed()),
                relativeSamples(), sampleSeed(), evaluateEvery(), queueCapacity(),
                new DecayConfig(d.window(), d.maxFailures(), d.factor(), d.floor(), d.pThreshold()),
                EvaluationSettings.DEFAULT_PICTURE_SAMPLES, storePatience());
    }
}
