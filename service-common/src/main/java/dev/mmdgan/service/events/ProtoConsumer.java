package dev.mmdgan.service.events;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Consumes one topic of protobuf events and hands each new one to a handler: events whose id was handled before
 * (also before a restart, see {@link SeenEventIds}) are dropped, malformed records are logged and skipped, and
 * offsets are committed after each batch. While the broker is away it retries. Run {@link #run()} on a background
 * thread; {@link #close()} ends it.
 */
public final class ProtoConsumer<T extends Message> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProtoConsumer.class);

    /** Parses a record's value. */
    public interface Parser<T> {
        T parse(byte[] bytes) throws InvalidProtocolBufferException;
    }

    /** Handles one new event. */
    public interface Handler<T> {
        void handle(T event);
    }

    private final String topic;
    private final Parser<T> parser;
    private final Function<T, String> eventId;
    private final Handler<T> handler;
    private final SeenEventIds seen;
    private final KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;

    /** Where a consumer group without committed offsets starts reading. */
    public enum Start {
        /** The oldest record the broker keeps: a new group handles the topic's history. */
        EARLIEST,
        /** The records published from now on (live views such as a watch stream). */
        LATEST
    }

    /** A consumer of a group that resumes where it left off, and reads the whole topic when it is new. */
    public ProtoConsumer(String bootstrapServers, String groupId, String topic, Parser<T> parser, Function<T, String> eventId,
                         Handler<T> handler, SeenEventIds seen) {
        this(bootstrapServers, groupId, topic, parser, eventId, handler, seen, Start.EARLIEST);
    }

    public ProtoConsumer(String bootstrapServers, String groupId, String topic, Parser<T> parser, Function<T, String> eventId,
                         Handler<T> handler, SeenEventIds seen, Start start) {
        this.topic = topic;
        this.parser = parser;
        this.eventId = eventId;
        this.handler = handler;
        this.seen = seen;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, start == Start.EARLIEST ? "earliest" : "latest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The consumer loop. */
    public void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        accept(r);
                    }
                    consumer.commitSync();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Broker away: events are handled once per id, so reading uncommitted ones again is harmless.
                    LOG.warnf("%s: %s (retrying)", topic, e.getMessage());
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
        T event;
        try {
            event = parser.parse(r.value());
        } catch (InvalidProtocolBufferException e) {
            LOG.errorf("skipping a malformed event at %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
            return;
        }
        String id = eventId.apply(event);
        if (!id.isEmpty() && seen.contains(id)) {
            LOG.debugf("dropping repeated event %s on %s", id, topic);
            return;
        }
        try {
            handler.handle(event);
        } catch (RuntimeException e) { // a bug or a bad event: logged, and the next events still go through
            LOG.errorf(e, "handling event %s from %s-%d@%d failed; skipped", id, r.topic(), r.partition(), r.offset());
            return;
        }
        if (!id.isEmpty()) {
            seen.add(id);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
