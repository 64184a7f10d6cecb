package dev.mmdgan.trainer.events;

import com.google.protobuf.MessageLite;
import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.EventHeader;
import dev.mmdgan.api.v1.Provenance;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.RunStateChanged;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.api.v1.TrainingMetricsReported;
import dev.mmdgan.trainer.BackgroundWork;
import dev.mmdgan.trainer.Timestamps;
import dev.mmdgan.trainer.TrainerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
 * <p>Callers only append events to the {@link EventJournal} (the outbox on local disk) and a bounded queue
 * ({@code mmdgan.kafka.buffer-events}); one sender thread hands them to the producer in order and waits for each
 * acknowledgement. While the broker is away the sender retries the same record with backoff, so events wait and go
 * out in order when it is back, and training never blocks on Kafka. Events still unacknowledged at a stop or a crash
 * are sent at the next start. A full queue is reported (log and {@link #dropped()}).
 *
 * <p>Event ids are derived from what an event is (run, kind, step, and for state changes the two states and the
 * run's state version), so that an event sent again, after a crash or for a step trained again after a resume, has
 * the same id and consumers can drop it.
 */
@ApplicationScoped
@Startup
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    public static final String PRODUCER = "trainer-service";

    @Inject
    TrainerConfig config;

    @Inject
    BackgroundWork background;

    private KafkaProducer<String, byte[]> producer;
    private BlockingQueue<EventJournal.Entry> queue;
    private EventJournal journal;
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
        queue = new LinkedBlockingQueue<>();
        journal = new EventJournal(config.kafka().outboxDir().orElse(config.trainer().workDir().resolve("outbox")));
        List<EventJournal.Entry> pending = journal.pending();
        queue.addAll(pending);
        if (!pending.isEmpty()) {
            LOG.infof("%d events from before the restart wait for the broker and go out first", pending.size());
        }
        sender = background.start("event-sender", this::sendLoop);
    }

    void close(@Observes ShutdownEvent event) throws InterruptedException, IOException {
        // Give queued events a moment to go out, then stop: the rest stays in the outbox for the next start.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        running = false;
        sender.interrupt();
        sender.join(2000);
        producer.close(Duration.ofSeconds(2));
        if (!queue.isEmpty()) {
            LOG.warnf("%d events wait in the outbox for the broker; they are sent at the next start", queue.size());
        }
        journal.close();
    }

    private void sendLoop() {
        long backoff = 100;
        EventJournal.Entry next = null; // taken from the queue, not acknowledged yet
        while (running) {
            try {
                if (next == null) {
                    next = queue.take();
                }
                producer.send(new ProducerRecord<>(next.topic(), next.key(), next.value())).get();
                next = null;
                journal.acknowledged();
                backoff = 100;
            } catch (InterruptedException e) {
                return; // shutting down: the journal still holds every unacknowledged event
            } catch (ExecutionException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (!running) {
                    return;
                }
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
                    journal.acknowledged();
                }
            }
        }
    }

    /** A header for an event about a run at a generator step; {@code what} says which event it is (its id's seed). */
    public static EventHeader header(String runId, long step, String what) {
        String id = UUID.nameUUIDFromBytes((runId + "|" + step + "|" + what).getBytes(StandardCharsets.UTF_8)).toString();
        return EventHeader.newBuilder().setEventId(id).setRunId(runId).setGeneratorStep(step).setTimestamp(Timestamps.now())
                .setProducer(PRODUCER).build();
    }

    public void checkpointPublished(CheckpointRef checkpoint, Provenance provenance, long uploadMillis) {
        send(config.kafka().checkpointsTopic(), checkpoint.getRunId(), CheckpointPublished.newBuilder()
                .setHeader(header(checkpoint.getRunId(), checkpoint.getGeneratorStep(), "checkpoint")).setCheckpoint(checkpoint)
                .setProvenance(provenance).setUploadMs(uploadMillis).build());
    }

    /** Metrics of a step; {@code decisionId} is set for the extra report a learning-rate decay makes. */
    public void metrics(TrainingMetrics metrics, String decisionId) {
        String what = decisionId.isEmpty() ? "metrics" : "metrics|decay|" + decisionId;
        send(config.kafka().metricsTopic(), metrics.getRunId(), TrainingMetricsReported.newBuilder()
                .setHeader(header(metrics.getRunId(), metrics.getGeneratorStep(), what)).setMetrics(metrics).build());
    }

    public void stateChanged(String runId, long step, RunState previous, RunState state, long version, String reason) {
        send(config.kafka().runStatesTopic(), runId, RunStateChanged.newBuilder()
                .setHeader(header(runId, step, "state|" + previous + "|" + state + "|" + version))
                .setPreviousState(previous).setState(state).setReason(reason).build());
    }

    private void send(String topic, String key, MessageLite payload) {
        EventJournal.Entry entry = new EventJournal.Entry(topic, key, payload.toByteArray());
        synchronized (journal) { // journal order = queue order: the sender acknowledges them in the same order
            if (queue.size() >= config.kafka().bufferEvents()) {
                dropped.incrementAndGet();
                LOG.errorf("event buffer full (%d events waiting for the broker): dropped an event to %s for run %s",
                        config.kafka().bufferEvents(), topic, key);
                return;
            }
            journal.append(entry);
            queue.add(entry);
        }
    }
    /** Events waiting for the broker. */
    public long queued() {
        return journal.backlog();
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
