package dev.mmdgan.evaluator.dashboard;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.EvaluationCompleted;
import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.api.v1.RunStateChanged;
import dev.mmdgan.api.v1.TrainingMetricsReported;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the five platform topics into a {@link RunBoard} and tells a {@link Listener} about every change. Its
 * consumer group is its own and commits nothing, so every start replays each topic from the beginning (as far as the
 * broker keeps it) and then follows it live: a dashboard opened long after a run shows the run's whole history.
 * Malformed records are logged, counted and skipped; while the broker is away it retries. Run {@link #run()} on a
 * background thread; {@link #close()} ends it.
 */
public final class DashboardConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DashboardConsumer.class);

    /** The topic names ({@code mmdgan.kafka.*-topic}). */
    public record Topics(String runStates, String metrics, String checkpoints, String evaluations, String decisions) {
        List<String> all() {
            return List.of(runStates, metrics, checkpoints, evaluations, decisions);
        }
    }

    /** Told about each event applied to the board: its type, the run's new summary and the new point (or null). */
    public interface Listener {
        void updated(String type, RunBoard.RunSummary run, JsonObject point);
    }

    private interface Apply {
        void apply(byte[] value) throws InvalidProtocolBufferException;
    }

    private final Topics topics;
    private final Map<String, Apply> handlers;
    private final KafkaConsumer<String, byte[]> consumer;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean running = true;

    public DashboardConsumer(String bootstrapServers, String groupId, Topics topics, RunBoard board, Listener listener) {
        this.topics = topics;
        this.handlers = Map.of(
                topics.runStates(), v -> {
                    RunStateChanged e = RunStateChanged.parseFrom(v);
                    board.onRunState(e);
                    tell(listener, board, "state", e.getHeader().getRunId(), null);
                },
                topics.metrics(), v -> {
                    TrainingMetricsReported e = TrainingMetricsReported.parseFrom(v);
                    JsonObject p = DashboardJson.metric(board.onMetrics(e));
                    tell(listener, board, "metrics", e.getHeader().getRunId(), p);
                },
                topics.checkpoints(), v -> {
                    CheckpointPublished e = CheckpointPublished.parseFrom(v);
                    board.onCheckpoint(e);
                    tell(listener, board, "checkpoint", e.getHeader().getRunId(), null);
                },
                topics.evaluations(), v -> {
                    EvaluationCompleted e = EvaluationCompleted.parseFrom(v);
                    RunBoard.KidPoint point = board.onEvaluation(e);
                    tell(listener, board, "evaluation", e.getHeader().getRunId(), point == null ? null : DashboardJson.kid(point));
                },
                topics.decisions(), v -> {
                    LearningRateDecision e = LearningRateDecision.parseFrom(v);
                    JsonObject p = DashboardJson.decision(board.onDecision(e));
                    tell(listener, board, "decision", e.getHeader().getRunId(), p);
                });
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static void tell(Listener listener, RunBoard board, String type, String runId, JsonObject point) {
        board.summary(runId).ifPresent(s -> listener.updated(type, s, point));
    }

    /** The consumer loop, until {@link #close()}. */
    public void run() {
        try {
            consumer.subscribe(topics.all());
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        accept(r);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warnf("dashboard feed: %s (retrying)", e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        Apply handler = handlers.get(r.topic());
        if (handler == null || r.value() == null) {
            return;
        }
        try {
            handler.apply(r.value());
            applied.incrementAndGet();
        } catch (InvalidProtocolBufferException | RuntimeException e) { // a bad event must not stop the feed
            malformed.incrementAndGet();
            LOG.errorf("dashboard feed: skipping the event at %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.toString());
        }
    }

    /** Events applied to the board so far. */
    public long applied() {
        return applied.get();
    }

    /** Records skipped because they could not be read or applied. */
    public long malformed() {
        return malformed.get();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
