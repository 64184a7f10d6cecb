package dev.mmdgan.service.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Delivers events in order through an {@link EventSink}, never losing one: each event is appended to the
 * {@link EventJournal} before it is queued, one sender thread waits for each acknowledgement, retries the same event
 * with backoff while the sink says the failure is retriable, and what was never acknowledged is sent again by the
 * next sender on the same journal. Callers never block: a full queue drops the event and counts it.
 */
public final class EventSender {

    private static final Logger LOG = Logger.getLogger(EventSender.class);

    private final EventSink sink;
    private final EventJournal journal;
    private final int capacity;
    private final BlockingQueue<EventJournal.Entry> queue = new LinkedBlockingQueue<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;

    /** Queues the journal's unacknowledged events first; {@link #run()} then sends them. */
    public EventSender(EventSink sink, EventJournal journal, int capacity) {
        this.sink = sink;
        this.journal = journal;
        this.capacity = capacity;
        List<EventJournal.Entry> pending = journal.pending();
        queue.addAll(pending);
        if (!pending.isEmpty()) {
            LOG.infof("%d events from before the restart wait for the broker and go out first", pending.size());
        }
    }

    /** Queues an event; false (and counted as dropped) when the queue is full. */
    public boolean publish(String topic, String key, byte[] value) {
        EventJournal.Entry entry = new EventJournal.Entry(topic, key, value);
        synchronized (journal) { // journal order = queue order: events are acknowledged in the order they were written
            if (queue.size() >= capacity) {
                dropped.incrementAndGet();
                LOG.errorf("event buffer full (%d events waiting for the broker): dropped an event to %s for %s", capacity,
                        topic, key);
                return false;
            }
            journal.append(entry);
            queue.add(entry);
        }
        return true;
    }

    /** The sender loop, for a background thread; returns when {@link #close} is called. */
    public void run() {
        long backoff = 100;
        EventJournal.Entry next = null; // taken from the queue, not acknowledged yet
        while (running) {
            try {
                if (next == null) {
                    next = queue.take();
                }
                sink.send(next);
                next = null;
                journal.acknowledged();
                backoff = 100;
            } catch (InterruptedException e) {
                return; // closing: the journal still holds every unacknowledged event
            } catch (Exception cause) {
                if (!running) {
                    return;
                }
                if (sink.isRetriable(cause)) {
                    LOG.warnf("broker unavailable, event to %s for %s waits (%d queued behind it): %s", next.topic(), next.key(),
                            queue.size(), cause.getMessage());
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException ie) {
                        return;
                    }
                    backoff = Math.min(backoff * 2, 5_000);
                } else {
                    failed.incrementAndGet();
                    LOG.errorf("event to %s for %s cannot be delivered and is dropped: %s", next.topic(), next.key(), cause);
                    next = null;
                    journal.acknowledged();
                }
            }
        }
    }

    /** Waits up to {@code drain} for the queue to empty, then stops {@code thread}; the rest stays in the journal. */
    public void close(Thread thread, Duration drain) throws InterruptedException {
        long deadline = System.nanoTime() + drain.toNanos();
        while (journal.backlog() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        running = false;
        thread.interrupt();
        thread.join(2000);
        if (journal.backlog() > 0) {
            LOG.warnf("%d events wait in the outbox for the broker; they are sent at the next start", journal.backlog());
        }
    }

    /** Events written and not yet acknowledged. */
    public long queued() {
        return journal.backlog();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Events the sink refused for good (not retriable). */
    public long failed() {
        return failed.get();
    }
}
