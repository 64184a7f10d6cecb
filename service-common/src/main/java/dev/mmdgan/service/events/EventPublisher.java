package dev.mmdgan.service.events;

import com.google.protobuf.MessageLite;

/** Where a service's domain sends its events: Kafka ({@link KafkaEventPublisher}), or an in-memory fake in tests. */
public interface EventPublisher {

    /** Queues an event for {@code topic} with record key {@code key} (a run id); never blocks. */
    void publish(String topic, String key, MessageLite payload);

    /** The producer named in event headers: the service's name. */
    String producer();
}
