package dev.mmdgan.evaluator.dashboard;

import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.config.ServiceConfig;
import dev.mmdgan.service.events.KafkaAdmin;
import dev.mmdgan.service.health.BackgroundWork;
import dev.mmdgan.service.metrics.ServiceMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * Feeds the dashboard: at start, a {@link DashboardConsumer} with a consumer group of this instance's own replays every
 * topic into the {@link RunBoard} and follows it live, and each change goes out to the page's live streams. The feed
 * thread is {@link BackgroundWork}: should it die, the service reports not live. Metrics:
 * {@code mmdgan_dashboard_events_total}, {@code mmdgan_dashboard_skipped_events_total},
 * {@code mmdgan_dashboard_clients}.
 */
@ApplicationScoped
public class DashboardFeed {

    @Inject
    DashboardConfig config;

    @Inject
    KafkaConfig kafka;

    @Inject
    ServiceConfig service;

    @Inject
    KafkaAdmin admin;

    @Inject
    BackgroundWork background;

    @Inject
    ServiceMetrics metrics;

    @Inject
    Vertx vertx;

    private final DashboardStream stream = new DashboardStream();
    private RunBoard board;
    private volatile DashboardConsumer consumer;
    private Thread thread;
    private long heartbeat = -1;

    @PostConstruct
    void init() {
        board = new RunBoard(config.maxPoints(), config.maxRuns());
        var registry = metrics.registry();
        Gauge.builder("mmdgan_dashboard_clients", stream, DashboardStream::clients)
                .description("Pages following the dashboard's live stream").register(registry);
        FunctionCounter.builder("mmdgan_dashboard_events", this, f -> f.consumer == null ? 0 : f.consumer.applied())
                .description("Events the dashboard read from the topics").register(registry);
        FunctionCounter.builder("mmdgan_dashboard_skipped_events", this, f -> f.consumer == null ? 0 : f.consumer.malformed())
                .description("Events the dashboard could not read or apply").register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        admin.ensureTopics();
        // A group of its own that commits nothing: every instance reads every topic from the start.
        String group = kafka.groupId().orElse(service.name()) + "-dashboard-" + UUID.randomUUID().toString().substring(0, 8);
        var topics = new DashboardConsumer.Topics(kafka.runStatesTopic(), kafka.metricsTopic(), kafka.checkpointsTopic(),
                kafka.evaluationsTopic(), kafka.decisionsTopic());
        consumer = new DashboardConsumer(kafka.bootstrapServers(), group, topics, board,
                (type, run, point) -> stream.publish(DashboardJson.update(type, run, point)));
        thread = background.start("dashboard-feed", consumer::run);
        heartbeat = vertx.setPeriodic(config.heartbeat().toMillis(), id -> stream.heartbeat());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (heartbeat >= 0) {
            vertx.cancelTimer(heartbeat);
        }
        stream.closeAll();
        if (consumer != null) {
            consumer.close();
            thread.join(5000);
        }
    }

    RunBoard board() {
        return board;
    }

    DashboardStream stream() {
        return stream;
    }
}
