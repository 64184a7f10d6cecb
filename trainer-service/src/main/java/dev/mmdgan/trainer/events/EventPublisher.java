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
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes the trainer's events (events.proto payloads, key = run id) with an idempotent producer and acks=all.
 *
 * <p>Callers only put events in a bounded queue ({@code mmdgan.kafka.buffer-events}); one sender thread hands them
 * to the producer in order and waits for each acknowledgement. While the broker is away the sender retries the
 * same record (same bytes, same event id) with backoff, so events wait and go out in order when it is back, and
 * training never blocks on Kafka. A full queue is reported (log and {@link #dropped()}). Consumers can drop the
 * duplicates a retry after a lost acknowledgement may cause by event id.
 */
@ApplicationScoped
@Startup
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    public static final String PRODUCER = "trainer-service";

    @Inject
    TrainerConfig config;

    private KafkaProducer<String, byte[]> producer;
    private BlockingQueue<ProducerRecord<String, byte[]>> queue;
    private Thread sender;
    private volatile boolean running = true;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    @PostConstruct
    void init() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        queue = new LinkedBlockingQueue<>(config.kafka().bufferEvents());
        sender = new Thread(this::sendLoop, "event-sender");
        sender.setDaemon(true);
        sender.start();
    }

    void close(@Observes ShutdownEvent event) throws InterruptedException {
        // Give queued events a moment to go out, then stop.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        running = false;
        sender.interrupt();
        sender.join(2000);
        producer.close(Duration.ofSeconds(2));
    }

    private void sendLoop() {
        long backoff = 100;
        ProducerRecord<String, byte[]> next = null;
        while (running) {
            try {
                if (next == null) {
                    next = queue.take();
                }
                producer.send(next).get();
                next = null;
                backoff = 100;
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (cause instanceof RetriableException) { // timeouts included
                    LOG.warnf("broker unavailable, event to %s for run %s waits (%d queued behind it): %s", next.topic(),
                            next.key(), queue.size(), cause.getMessage());
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException ie) {
                        return;
                    }
                    backoff = Math.min(backoff * 2, 5_000);
                } else {
                    failed.incrementAndGet();
                    LOG.errorf("event to %s for run %s cannot be delivered and is dropped: %s", next.topic(), next.key(), cause);
                    next = null;
                }
            }
        }
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
        if (!queue.offer(new ProducerRecord<>(topic, key, payload.toByteArray()))) {
            dropped.incrementAndGet();
            LOG.errorf("event buffer full (%d events waiting for the broker): dropped an event to %s for run %s",
                    config.kafka().bufferEvents(), topic, key);
        }
    }

    /** Events waiting for the broker. */
    public int queued() {
        return queue.size();
    }

    /** Events that could not be queued because the buffer was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Events the broker refused for good (not retriable). */
    public long failed() {
        return failed.get();
    }
}
