package dev.mmdgan.trainer.events;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.trainer.BackgroundWork;
import dev.mmdgan.trainer.TrainerConfig;
import dev.mmdgan.trainer.training.RunManager;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Consumes the evaluator's learning-rate decisions and hands them to the {@link RunManager}, which applies DECAY
 * to the right run once per decision id. Offsets are committed after each batch is applied.
 */
@ApplicationScoped
public class DecisionListener {

    private static final Logger LOG = Logger.getLogger(DecisionListener.class);

    @Inject
    TrainerConfig config;

    @Inject
    RunManager runs;

    @Inject
    BackgroundWork background;

    private volatile boolean running = true;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.kafka().groupId());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        thread = background.start("lr-decisions", this::loop);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(config.kafka().decisionsTopic()));
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        try {
                            runs.applyDecision(LearningRateDecision.parseFrom(r.value()));
                        } catch (InvalidProtocolBufferException e) {
                            LOG.errorf("skipping a malformed learning-rate decision at %s-%d@%d: %s", r.topic(), r.partition(),
                                    r.offset(), e.getMessage());
                        }
                    }
                    consumer.commitSync();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Broker away: decisions are applied once per id, so re-reading uncommitted ones is harmless.
                    LOG.warnf("learning-rate decisions: %s (retrying)", e.getMessage());
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // shutting down
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
