package dev.mmdgan.trainer.events;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Timestamp;
import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.EventHeader;
import dev.mmdgan.api.v1.Provenance;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.RunStateChanged;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.api.v1.TrainingMetricsReported;
import dev.mmdgan.trainer.TrainerConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes the trainer's events (events.proto payloads, key = run id) with an idempotent producer and acks=all.
 *
 * <p>While the broker is away, events wait in the producer's buffer ({@code mmdgan.kafka.buffer-bytes}) and go out
 * when it is back; sending never blocks training for long. A full buffer is reported (log and {@link #dropped()}),
 * and every event carries an event id so consumers can drop the duplicates a retry may cause.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    public static final String PRODUCER = "trainer-service";

    @Inject
    TrainerConfig config;

    private KafkaProducer<String, byte[]> producer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    @PostConstruct
    void init() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, config.kafka().bufferBytes());
        // Keep retrying for a day rather than dropping events during a broker outage.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofDays(1).toMillis());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    void close(@Observes ShutdownEvent event) {
        producer.close(Duration.ofSeconds(5));
    }

    /** A fresh header for an event about a run at a generator step. */
    public static EventHeader header(String runId, long step) {
        Instant now = Instant.now();
        return EventHeader.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(runId).setGeneratorStep(step)
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setProducer(PRODUCER).build();
    }

    public void checkpointPublished(CheckpointRef checkpoint, Provenance provenance, long uploadMillis) {
        send(config.kafka().checkpointsTopic(), checkpoint.getRunId(), CheckpointPublished.newBuilder()
                .setHeader(header(checkpoint.getRunId(), checkpoint.getGeneratorStep())).setCheckpoint(checkpoint)
                .setProvenance(provenance).setUploadMs(uploadMillis).build());
    }

    public void metrics(TrainingMetrics metrics) {
        send(config.kafka().metricsTopic(), metrics.getRunId(), TrainingMetricsReported.newBuilder()
                .setHeader(header(metrics.getRunId(), metrics.getGeneratorStep())).setMetrics(metrics).build());
    }

    public void stateChanged(String runId, long step, RunState previous, RunState state, String reason) {
        send(config.kafka().runStatesTopic(), runId, RunStateChanged.newBuilder().setHeader(header(runId, step))
                .setPreviousState(previous).setState(state).setReason(reason).build());
    }

    private void send(String topic, String key, MessageLite payload) {
        try {
            producer.send(new ProducerRecord<>(topic, key, payload.toByteArray()), (meta, error) -> {
                if (error != null) {
                    failed.incrementAndGet();
                    LOG.errorf("event to %s for run %s was not delivered: %s", topic, key, error.getMessage());
                }
            });
        } catch (RuntimeException e) {
            // Buffer full, or no metadata for the topic within max.block.ms while the broker is away.
            dropped.incrementAndGet();
            LOG.errorf("event buffer full or broker unreachable: dropped an event to %s for run %s (%s)", topic, key, e.getMessage());
        }
    }

    /** Events that could not be queued (buffer full or broker away before the topic was known). */
    public long dropped() {
        return dropped.get();
    }

    /** Events queued but never delivered. */
    public long failed() {
        return failed.get();
    }
}
