package dev.mmdgan.service.events;

import com.google.protobuf.MessageLite;
import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.config.ServiceConfig;
import dev.mmdgan.service.health.BackgroundWork;
import dev.mmdgan.service.metrics.ServiceMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;

/**
 * {@link EventPublisher} on Kafka (events.proto payloads, key = run id): an {@link EventSender} over an idempotent
 * producer and the outbox in {@code mmdgan.kafka.outbox-dir}. Publishing never blocks. Metrics:
 * {@code mmdgan_events_queued}, {@code mmdgan_events_dropped_total}, {@code mmdgan_events_failed_total}.
 */
@ApplicationScoped
@Startup
public class KafkaEventPublisher implements EventPublisher {

    @Inject
    KafkaConfig kafka;

    @Inject
    ServiceConfig service;

    @Inject
    BackgroundWork background;

    @Inject
    ServiceMetrics metrics;

    private EventJournal journal;
    private EventSink sink;
    private EventSender sender;
    private Thread thread;

    @PostConstruct
    void init() {
        journal = new EventJournal(kafka.outboxDir());
        sink = new KafkaEventSink(kafka.bootstrapServers(), service.name() + "-events");
        sender = new EventSender(sink, journal, kafka.bufferEvents());
        thread = background.start("event-sender", sender::run);
        Gauge.builder("mmdgan_events_queued", sender, EventSender::queued).description("Events waiting for the broker")
                .register(metrics.registry());
        FunctionCounter.builder("mmdgan_events_dropped", sender, EventSender::dropped)
                .description("Events dropped because the queue was full").register(metrics.registry());
        FunctionCounter.builder("mmdgan_events_failed", sender, EventSender::failed)
                .description("Events the broker refused for good").register(metrics.registry());
    }

    void close(@Observes ShutdownEvent event) throws InterruptedException, IOException {
        sender.close(thread, Duration.ofSeconds(5));
        sink.close();
        journal.close();
    }

    @Override
    public void publish(String topic, String key, MessageLite payload) {
        sender.publish(topic, key, payload.toByteArray());
    }

    @Override
    public String producer() {
        return service.name();
    }
}
