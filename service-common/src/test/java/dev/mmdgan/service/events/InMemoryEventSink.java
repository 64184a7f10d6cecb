package dev.mmdgan.service.events;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory fake of {@link EventSink}: records what it receives, and can act as a broker that is away. */
public final class InMemoryEventSink implements EventSink {

    /** What a broker that is away throws: retriable. */
    static final class Unavailable extends IOException {
        Unavailable() {
            super("broker unavailable (in-memory sink is down)");
        }
    }

    private final List<EventJournal.Entry> received = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    public void down(boolean down) {
        this.down = down;
    }

    public List<EventJournal.Entry> received() {
        return received;
    }

    @Override
    public void send(EventJournal.Entry event) throws IOException {
        if (down) {
            throw new Unavailable();
        }
        received.add(event);
    }

    @Override
    public boolean isRetriable(Throwable failure) {
        return failure instanceof Unavailable;
    }

    @Override
    public void close() {
    }
}
