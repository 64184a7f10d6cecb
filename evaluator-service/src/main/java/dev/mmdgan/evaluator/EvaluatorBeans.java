package dev.mmdgan.evaluator;

import dev.mmdgan.evaluator.evaluation.CheckpointScorer;
import dev.mmdgan.evaluator.evaluation.EvaluationMetrics;
import dev.mmdgan.evaluator.evaluation.EvaluationQueue;
import dev.mmdgan.evaluator.evaluation.EvaluationSettings;
import dev.mmdgan.evaluator.evaluation.Evaluations;
import dev.mmdgan.evaluator.evaluation.FeatureNetworkLibrary;
import dev.mmdgan.evaluator.evaluation.FeatureSource;
import dev.mmdgan.evaluator.evaluation.ImageFeatureSource;
import dev.mmdgan.evaluator.evaluation.MoonsFeatureSource;
import dev.mmdgan.evaluator.evaluation.ReferenceCache;
import dev.mmdgan.evaluator.storage.EvaluationStore;
import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.events.EventPublisher;
import dev.mmdgan.service.metrics.ServiceMetrics;
import dev.mmdgan.service.storage.BlobStore;
import dev.mmdgan.service.storage.CheckpointStore;
import dev.mmdgan.service.storage.Retry;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** The domain objects, built once from the configuration (singletons: they are final, plain classes). */
@ApplicationScoped
public class EvaluatorBeans {

    /** Prepared real references kept (data set × network × KID configuration). */
    private static final int CACHED_REFERENCES = 8;

    @Produces
    @Singleton
    EvaluationSettings settings(EvaluatorConfig config) {
        return config.settings();
    }

    /** The data sets the evaluator can score: moons on raw features, 28×28 image data sets on their classifier. */
    @Produces
    @Singleton
    @DefaultBean
    FeatureSource featureSource(EvaluatorConfig config, BlobStore blobs) {
        FeatureNetworkLibrary networks = new FeatureNetworkLibrary(blobs, config.workDir().resolve("feature-nets"));
        return FeatureSource.of(List.of(new MoonsFeatureSource(config.realSamples()),
                new ImageFeatureSource(config.imageData(), networks, config.realSamples())));
    }

    @Produces
    @Singleton
    EvaluationStore evaluationStore(BlobStore blobs) {
        return new EvaluationStore(blobs);
    }

    @Produces
    @Singleton
    EvaluationMetrics evaluationMetrics(ServiceMetrics metrics) {
        return new EvaluationMetrics(metrics.registry());
    }

    @Produces
    @Singleton
    ReferenceCache references(EvaluationMetrics metrics) {
        ReferenceCache cache = new ReferenceCache(CACHED_REFERENCES);
        Gauge.builder("mmdgan_evaluator_references_prepared", cache, ReferenceCache::preparations)
                .description("Real feature sets embedded and prepared for KID").register(metrics.registry());
        return cache;
    }

    @Produces
    @Singleton
    Evaluations evaluations(CheckpointStore checkpoints, EvaluationStore store, FeatureSource features, ReferenceCache references,
                            EventPublisher events, KafkaConfig kafka, EvaluationSettings settings, EvaluationMetrics metrics,
                            Retry retry, EvaluatorConfig config) {
        return new Evaluations(checkpoints, store, new CheckpointScorer(features, references, settings.sampleSeed(),
                settings.pictureSamples()), events, new Evaluations.Topics(kafka.evaluationsTopic(), kafka.decisionsTopic()),
                settings, metrics, retry, config.workDir().resolve("checkpoints"));
    }

    @Produces
    @Singleton
    EvaluationQueue queue(Evaluations evaluations, EvaluationMetrics metrics) {
        return new EvaluationQueue(evaluations, metrics);
    }
}
