package dev.mmdgan.trainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a run's events back from the real broker, as a fresh consumer group would. */
final class KafkaTopics {

    interface Parser<T> {
        T parse(byte[] bytes) throws Exception;
    }

    private KafkaTopics() {
    }

    /**
     * The events of {@code runId} on {@code topic}, from the beginning: at least {@code atLeast} of them (or what came
     * within 60 s), read until nothing new has arrived for {@code quietMillis} so that repeats would show.
     */
    static <T> List<T> read(String bootstrap, String topic, String runId, Parser<T> parser, long atLeast, long quietMillis)
            throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<T> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline
                    && (found.size() < atLeast || System.nanoTime() - quietSince < quietMillis * 1_000_000)) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (runId.equals(r.key())) {
                        found.add(parser.parse(r.value()));
                        quietSince = System.nanoTime();
                    }
                }
            }
        }
        return found;
    }
}
