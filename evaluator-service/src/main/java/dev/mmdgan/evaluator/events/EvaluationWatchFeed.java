package dev.mmdgan.evaluator.events;

import com.google.protobuf.util.Timestamps;
import dev.mmdgan.api.v1.Evaluation;
import dev.mmdgan.api.v1.EvaluationCompleted;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * What WatchEvaluations streams: every evaluation published on {@code mmdgan.evaluations} from now on, by any evaluator
 * replica, read with a consumer group of this instance's own. A client watching one replica therefore sees the
 * evaluations of every replica, each once: a record delivered twice is dropped, while a step evaluated again (say KID
 * only by EvaluateCheckpoint, then by the queue) is a new evaluation and is streamed, since its creation time differs.
 */
@ApplicationScoped
public class EvaluationWatchFeed {

    private static final Logger LOG = Logger.getLogger(EvaluationWatchFeed.class);
    private static final int REMEMBERED = 10_000;

    @Inject
    KafkaConfig kafka;

    @Inject
    ServiceConfig service;

    @Inject
    KafkaAdmin admin;

    @Inject
    BackgroundWork background;

    private final List<Consumer<Evaluation>> watchers = new CopyOnWriteArrayList<>();
    private ProtoConsumer<EvaluationCompleted> consumer;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        admin.ensureTopics();
        String group = kafka.groupId().orElse(service.name()) + "-watch-" + UUID.randomUUID().toString().substring(0, 8);
        consumer = new ProtoConsumer<>(kafka.bootstrapServers(), group, kafka.evaluationsTopic(), EvaluationCompleted::parseFrom,
                e -> e.getHeader().getEventId() + "@" + Timestamps.toString(e.getEvaluation().getCreatedAt()),
                e -> publish(e.getEvaluation()), SeenEventIds.inMemory(REMEMBERED),
                ProtoConsumer.Start.LATEST);
        thread = background.start("evaluation-watch", consumer::run);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (consumer != null) {
            consumer.close();
            thread.join(5000);
        }
    }

    /** Calls {@code watcher} with every evaluation published from now on, until {@link #unwatch}. */
    public void watch(Consumer<Evaluation> watcher) {
        watchers.add(watcher);
    }

    public void unwatch(Consumer<Evaluation> watcher) {
        watchers.remove(watcher);
    }

    /** A watcher that throws (e.g. a stream the client has left) is dropped. */
    void publish(Evaluation e) {
        for (Consumer<Evaluation> w : watchers) {
            try {
                w.accept(e);
            } catch (RuntimeException ex) {
                LOG.debugf("dropping an evaluation watcher: %s", ex.getMessage());
                watchers.remove(w);
            }
        }
    }
}
