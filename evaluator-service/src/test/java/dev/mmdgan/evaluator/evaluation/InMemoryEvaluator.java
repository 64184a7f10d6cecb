package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.relative.DecayConfig;
import dev.mmdgan.evaluator.storage.EvaluationStore;
import dev.mmdgan.service.events.InMemoryEventPublisher;
import dev.mmdgan.service.storage.CheckpointStore;
import dev.mmdgan.service.storage.InMemoryBlobStore;
import dev.mmdgan.service.storage.Retry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The evaluation domain wired on in-memory fakes (store, events, metrics), with small evaluations: 400 samples, KID
 * 10 × 100, a relative test of 200 rows, decay window 2. A second instance on the same store is a restarted evaluator.
 */
final class InMemoryEvaluator {

    static final Evaluations.Topics TOPICS = new Evaluations.Topics("evaluations", "decisions");
    static final EvaluationSettings SETTINGS = new EvaluationSettings(400, KidConfig.defaults().withSubsets(10, 100), 200,
            EvaluationSettings.DEFAULT_SAMPLE_SEED, 1, 2, new DecayConfig(2, 3, 0.8, 1e-6, 0.1), 64, Duration.ofMillis(300));

    final InMemoryBlobStore blobs;
    final FakeFlakyBlobStore flaky;
    final InMemoryEventPublisher events;
    final CheckpointStore checkpoints;
    final EvaluationMetrics metrics = new EvaluationMetrics(new SimpleMeterRegistry());
    final ReferenceCache references = new ReferenceCache(4);
    final Evaluations evaluations;
    final EvaluationQueue queue;

    InMemoryEvaluator(InMemoryBlobStore blobs, InMemoryEventPublisher events, Path work, EvaluationSettings settings,
                      FeatureSource features) {
        this.blobs = blobs;
        this.flaky = new FakeFlakyBlobStore(blobs);
        this.events = events;
        Retry retry = new Retry(Duration.ofMillis(10), Duration.ofMillis(50));
        this.checkpoints = new CheckpointStore(flaky, retry);
        this.evaluations = new Evaluations(checkpoints, new EvaluationStore(flaky),
                new CheckpointScorer(features, references, settings.sampleSeed(), settings.pictureSamples()), events, TOPICS,
                settings, metrics, retry, work);
        this.queue = new EvaluationQueue(evaluations, metrics);
    }

    InMemoryEvaluator(InMemoryBlobStore blobs, InMemoryEventPublisher events, Path work) {
        this(blobs, events, work, SETTINGS, FeatureSource.of(List.of(new MoonsFeatureSource(1000))));
    }
}
