package dev.mmdgan.service.events;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** {@link EventSink} on an idempotent Kafka producer with {@code acks=all}. */
public final class KafkaEventSink implements EventSink {

    private final KafkaProducer<String, byte[]> producer;

    public KafkaEventSink(String bootstrapServers, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void send(EventJournal.Entry event) throws Exception {
        try {
            producer.send(new ProducerRecord<>(event.topic(), event.key(), event.value())).get();
        } catch (ExecutionException e) { // the broker's answer, as the producer's own exception
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    public boolean isRetriable(Throwable failure) {
        return failure instanceof RetriableException; // timeouts included
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
