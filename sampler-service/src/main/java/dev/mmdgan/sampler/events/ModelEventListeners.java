package dev.mmdgan.sampler.events;

import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.EvaluationCompleted;
import dev.mmdgan.sampler.Sampler;
import dev.mmdgan.sampler.SamplerConfig;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumes checkpoint events ({@code CheckpointPublished}) and the evaluator's {@code EvaluationCompleted} and hands
 * them to the model registry. Each replica reads every event: its consumer groups are the service name plus its
 * instance id (unless {@code mmdgan.kafka.group-id} is set). Repeats are dropped by event id; the registry ignores
 * older steps and anything that does not change its policy's choice, so order does not matter.
 */
@ApplicationScoped
public class ModelEventListeners {

    private static final int REMEMBERED = 100_000;

    @Inject
    KafkaConfig kafka;

    @Inject
    ServiceConfig service;

    @Inject
    SamplerConfig config;

    @Inject
    Sampler sampler;

    @Inject
    BackgroundWork background;

    @Inject
    KafkaAdmin admin;

    private final List<ProtoConsumer<?>> consumers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    void start(@Observes StartupEvent event) {
        admin.ensureTopics();
        String group = kafka.groupId().orElse(service.name() + "-" + sampler.instanceId());
        // Seen ids per instance: a new instance reads the topics from the start and must not skip what an old one saw.
        Path state = config.workDir().resolve("consumers").resolve(sampler.instanceId());
        var registry = sampler.registry();
        consumers.add(new ProtoConsumer<>(kafka.bootstrapServers(), group + "-checkpoints", kafka.checkpointsTopic(),
                CheckpointPublished::parseFrom, e -> e.getHeader().getEventId(),
                e -> registry.checkpointPublished(e.getCheckpoint().getRunId(), e.getCheckpoint().getGeneratorStep()),
                new SeenEventIds(state.resolve("seen-checkpoints.txt"), REMEMBERED)));
        consumers.add(new ProtoConsumer<>(kafka.bootstrapServers(), group + "-evaluations", kafka.evaluationsTopic(),
                EvaluationCompleted::parseFrom, e -> e.getHeader().getEventId(),
                e -> registry.evaluated(e.getEvaluation().getRunId(), e.getEvaluation().getGeneratorStep(), e.getEvaluation().getKid().getMean()),
                new SeenEventIds(state.resolve("seen-evaluations.txt"), REMEMBERED)));
        threads.add(background.start("checkpoint-events", consumers.get(0)::run));
        threads.add(background.start("evaluation-events", consumers.get(1)::run));
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        consumers.forEach(ProtoConsumer::close);
        for (Thread t : threads) {
            t.join(5000);
        }
    }
}
