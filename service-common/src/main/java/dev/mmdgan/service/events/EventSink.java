package dev.mmdgan.service.events;

/** Where the {@link EventPublisher}'s sender hands events: Kafka, or an in-memory fake in tests. */
public interface EventSink extends AutoCloseable {

    /** Delivers one event and waits for its acknowledgement. */
    void send(EventJournal.Entry event) throws Exception;

    /** Whether a failure of {@link #send} may go away by itself (the broker is away, a timeout). */
    boolean isRetriable(Throwable failure);

    @Override
    void close();
}
