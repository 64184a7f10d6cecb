package dev.mmdgan.service.events;

import com.google.protobuf.MessageLite;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory fake of {@link EventPublisher}: keeps every event, in order. */
public final class InMemoryEventPublisher implements EventPublisher {

    /** One published event. */
    public record Published(String topic, String key, MessageLite payload) {
    }

    private final List<Published> events = new CopyOnWriteArrayList<>();

    @Override
    public void publish(String topic, String key, MessageLite payload) {
        events.add(new Published(topic, key, payload));
    }

    @Override
    public String producer() {
        return "in-memory";
    }

    public List<Published> events() {
        return events;
    }

    /** The payloads of one topic and key, in order, as {@code type}. */
    public <T extends MessageLite> List<T> on(String topic, String key, Class<T> type) {
        return events.stream().filter(e -> e.topic().equals(topic) && e.key().equals(key)).map(e -> type.cast(e.payload())).toList();
    }
}
