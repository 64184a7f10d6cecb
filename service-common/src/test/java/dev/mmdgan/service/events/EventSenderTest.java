package dev.mmdgan.service.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The event sender on the in-memory sink: order, a broker outage, a restart with events still waiting, a full queue. */
@Timeout(60)
class EventSenderTest {

    @TempDir
    Path dir;

    private static byte[] bytes(int i) {
        return ("event " + i).getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> values(List<EventJournal.Entry> entries) {
        return entries.stream().map(e -> new String(e.value(), StandardCharsets.UTF_8)).toList();
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void eventsGoOutInOrderAndWaitForABrokerThatIsAway() throws Exception {
        InMemoryEventSink sink = new InMemoryEventSink();
        try (EventJournal journal = new EventJournal(dir)) {
            EventSender sender = new EventSender(sink, journal, 100);
            Thread thread = new Thread(sender::run);
            thread.start();
            sender.publish("t", "run", bytes(0));
            await(() -> sink.received().size() == 1);
            sink.down(true);
            for (int i = 1; i <= 5; i++) {
                sender.publish("t", "run", bytes(i));
            }
            Thread.sleep(300);
            assertThat(sink.received()).hasSize(1);
            assertThat(sender.queued()).isEqualTo(5);
            sink.down(false);
            await(() -> sink.received().size() == 6);
            assertThat(values(sink.received())).containsExactly("event 0", "event 1", "event 2", "event 3", "event 4", "event 5");
            sender.close(thread, Duration.ofSeconds(1));
            assertThat(sender.queued()).isZero();
        }
    }

    @Test
    void whatWasNotAcknowledgedAtAStopIsSentByTheNextSender() throws Exception {
        InMemoryEventSink sink = new InMemoryEventSink();
        sink.down(true);
        try (EventJournal journal = new EventJournal(dir)) {
            EventSender sender = new EventSender(sink, journal, 100);
            Thread thread = new Thread(sender::run);
            thread.start();
            for (int i = 0; i < 3; i++) {
                sender.publish("t", "run", bytes(i));
            }
            sender.close(thread, Duration.ofMillis(200)); // a stop while the broker is away
        }
        sink.down(false);
        try (EventJournal journal = new EventJournal(dir)) {
            EventSender next = new EventSender(sink, journal, 100);
            Thread thread = new Thread(next::run);
            thread.start();
            next.publish("t", "run", bytes(3));
            await(() -> sink.received().size() == 4);
            assertThat(values(sink.received())).containsExactly("event 0", "event 1", "event 2", "event 3");
            next.close(thread, Duration.ofSeconds(1));
        }
    }

    @Test
    void aFullQueueDropsAndCountsNewEvents() throws Exception {
        InMemoryEventSink sink = new InMemoryEventSink();
        sink.down(true);
        try (EventJournal journal = new EventJournal(dir)) {
            EventSender sender = new EventSender(sink, journal, 2); // not started: nothing leaves the queue
            assertThat(sender.publish("t", "run", bytes(0))).isTrue();
            assertThat(sender.publish("t", "run", bytes(1))).isTrue();
            assertThat(sender.publish("t", "run", bytes(2))).isFalse();
            assertThat(sender.dropped()).isEqualTo(1);
            assertThat(sender.queued()).isEqualTo(2);
        }
    }
}
