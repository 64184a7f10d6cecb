package dev.mmdgan.trainer.events;

import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.config.ServiceConfig;
import dev.mmdgan.service.events.KafkaAdmin;
import dev.mmdgan.service.events.ProtoConsumer;
import dev.mmdgan.service.events.SeenEventIds;
import dev.mmdgan.service.health.BackgroundWork;
import dev.mmdgan.trainer.training.RunManager;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Consumes the evaluator's learning-rate decisions ({@code mmdgan.lr-decisions}) and hands them to the
 * {@link RunManager}, which applies a DECAY to its run once per decision id. Repeated events are dropped by event
 * id, also across restarts.
 */
@ApplicationScoped
public class DecisionListener {

    /** Event ids remembered to drop repeats. */
    private static final int REMEMBERED = 100_000;

    @Inject
    KafkaConfig kafka;

    @Inject
    ServiceConfig service;

    @Inject
    RunManager runs;

    @Inject
    BackgroundWork background;

    @Inject
    KafkaAdmin admin;

    private ProtoConsumer<LearningRateDecision> consumer;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        admin.ensureTopics();
        consumer = new ProtoConsumer<>(kafka.bootstrapServers(), kafka.groupId().orElse(service.name()), kafka.decisionsTopic(),
                LearningRateDecision::parseFrom, d -> d.getHeader().getEventId(), runs::applyDecision,
                new SeenEventIds(kafka.outboxDir().resolve("seen-lr-decisions.txt"), REMEMBERED));
        thread = background.start("lr-decisions", consumer::run);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        consumer.close();
        thread.join(5000);
    }
}
