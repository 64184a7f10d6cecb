package dev.mmdgan.service.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The outbox on disk: what was not acknowledged comes back after a stop or a crash, once and in order. */
@Timeout(30)
class EventJournalTest {

    @TempDir
    Path dir;

    private static EventJournal.Entry entry(int i) {
        return new EventJournal.Entry("topic-" + (i % 2), "run-" + i, ("value " + i).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> values(List<EventJournal.Entry> entries) {
        return entries.stream().map(e -> e.topic() + "/" + e.key() + "/" + new String(e.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void unacknowledgedEventsComeBackInOrder() throws Exception {
        try (EventJournal journal = new EventJournal(dir)) {
            assertThat(journal.pending()).isEmpty();
            for (int i = 0; i < 5; i++) {
                journal.append(entry(i));
            }
            journal.acknowledged();
            journal.acknowledged();
            assertThat(journal.backlog()).isEqualTo(3);
        }
        try (EventJournal again = new EventJournal(dir)) {
            assertThat(values(again.pending())).isEqualTo(values(List.of(entry(2), entry(3), entry(4))));
            again.acknowledged(); // the resent ones are acknowledged in order, new ones follow
            again.append(entry(5));
            again.acknowledged();
        }
        try (EventJournal third = new EventJournal(dir)) {
            assertThat(values(third.pending())).isEqualTo(values(List.of(entry(4), entry(5))));
        }
    }

    @Test
    void aFullyAcknowledgedJournalIsEmptied() throws Exception {
        try (EventJournal journal = new EventJournal(dir)) {
            journal.pending();
            for (int i = 0; i < 3; i++) {
                journal.append(entry(i));
                journal.acknowledged();
            }
        }
        assertThat(Files.size(dir.resolve("events.log"))).isZero();
        try (EventJournal again = new EventJournal(dir)) {
            assertThat(again.pending()).isEmpty();
        }
    }

    @Test
    void aRecordCutShortByACrashIsDropped() throws Exception {
        try (EventJournal journal = new EventJournal(dir)) {
            journal.pending();
            journal.append(entry(0));
            journal.append(entry(1));
        }
        Files.write(dir.resolve("events.log"), new byte[] {0, 7, 't', 'o'}, StandardOpenOption.APPEND); // half a record
        try (EventJournal again = new EventJournal(dir)) {
            assertThat(values(again.pending())).isEqualTo(values(List.of(entry(0), entry(1))));
            again.append(entry(2));
        }
        try (EventJournal third = new EventJournal(dir)) {
            assertThat(values(third.pending())).isEqualTo(values(List.of(entry(0), entry(1), entry(2))));
        }
    }
}
