package dev.mmdgan.evaluator.events;

import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.evaluator.evaluation.EvaluationQueue;
import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.config.ServiceConfig;
import dev.mmdgan.service.events.KafkaAdmin;
import dev.mmdgan.service.events.ProtoConsumer;
import dev.mmdgan.service.events.SeenEventIds;
import dev.mmdgan.service.health.BackgroundWork;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import dev.mmdgan.evaluator.storage.EvaluationStore;
import org.jboss.logging.Logger;

/**
 * Consumes the trainer's checkpoint events ({@code mmdgan.checkpoints}) into the {@link EvaluationQueue}, and runs the
 * queue's worker. Repeated events are dropped by event id (also across restarts, here and in the runs' saved
 * progress); the queue decides what else is evaluated. Evaluations and decisions go out through service-common's
 * event publisher (outbox first, then Kafka).
 */
@ApplicationScoped
public class CheckpointListener {

    private static final int REMEMBERED = 100_000;
    private static final Logger LOG = Logger.getLogger(CheckpointListener.class);

    @Inject
    KafkaConfig kafka;

    @Inject
    ServiceConfig service;

    @Inject
    EvaluationQueue queue;

    @Inject
    BackgroundWork background;

    @Inject
    KafkaAdmin admin;

    @Inject
    EvaluationStore store;

    private ProtoConsumer<CheckpointPublished> consumer;
    private Thread consumerThread;
    private Thread worker;

    void start(@Observes StartupEvent event) {
        admin.ensureTopics();
        try {
            store.ensureBucket();
        } catch (Exception e) { // the store may come later: reads then fail (and are retried) until it does
            LOG.warnf("the store's bucket could not be checked at startup: %s", e.getMessage());
        }
        worker = background.start("evaluations", queue::run);
        consumer = new ProtoConsumer<>(kafka.bootstrapServers(), kafka.groupId().orElse(service.name()), kafka.checkpointsTopic(),
                CheckpointPublished::parseFrom, c -> c.getHeader().getEventId(), this::submit,
                new SeenEventIds(kafka.outboxDir().resolve("seen-checkpoints.txt"), REMEMBERED));
        consumerThread = background.start("checkpoints", consumer::run);
    }

    private void submit(CheckpointPublished event) {
        try {
            queue.submit(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading run " + event.getCheckpoint().getRunId() + "'s state", e);
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        consumer.close();
        consumerThread.join(5000);
        queue.close();
        worker.interrupt();
        worker.join(5000);
    }
}
