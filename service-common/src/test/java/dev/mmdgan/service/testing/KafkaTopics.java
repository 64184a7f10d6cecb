package dev.mmdgan.service.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes to and reads from the real broker, as a service and a fresh consumer group would; for the services' tests. */
public final class KafkaTopics {

    public interface Parser<T> {
        T parse(byte[] bytes) throws Exception;
    }

    private KafkaTopics() {
    }

    /** Sends each value to {@code topic} with key {@code runId}, waiting for every acknowledgement. */
    public static void publish(String bootstrap, String topic, String runId, List<byte[]> values) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("delivery.timeout.ms", "30000");
        p.put("request.timeout.ms", "20000");
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (byte[] v : values) {
                producer.send(new ProducerRecord<>(topic, runId, v)).get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    /** {@link #read(String, String, String, Parser, long, long, Duration)} waiting at most 60 s for the first ones. */
    public static <T> List<T> read(String bootstrap, String topic, String runId, Parser<T> parser, long atLeast, long quietMillis)
            throws Exception {
        return read(bootstrap, topic, runId, parser, atLeast, quietMillis, Duration.ofSeconds(60));
    }

    /**
     * The events of {@code runId} on {@code topic} from the beginning: at least {@code atLeast} of them (or what came
     * within {@code limit}), read until nothing new arrived for {@code quietMillis}, so that repeats would show.
     */
    public static <T> List<T> read(String bootstrap, String topic, String runId, Parser<T> parser, long atLeast, long quietMillis,
                                   Duration limit) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<T> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + limit.toNanos();
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
