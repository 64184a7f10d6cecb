package dev.mmdgan.service.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox on local disk: every event is appended here before it is queued for the broker, and counted as
 * acknowledged once the broker has it. What was never acknowledged (a broker outage, a stop, kill -9) is read back at
 * the next start and sent again, with the same bytes and so the same event id.
 *
 * <p>Two files: {@code events.log}, records of (topic, key, value), appended in send order; and {@code acked}, the
 * number of leading records the broker acknowledged. When everything written is acknowledged the log is emptied.
 * A record cut short by a crash is dropped when the log is read back (it was never queued).
 */
public final class EventJournal implements AutoCloseable {

    /** One event as it goes to Kafka. */
    public record Entry(String topic, String key, byte[] value) {
    }

    private final FileChannel log;
    private final FileChannel ackFile;
    private long written;
    private long acked;

    /** Opens (or creates) the journal in {@code dir}. */
    public EventJournal(Path dir) {
        try {
            Files.createDirectories(dir);
            log = FileChannel.open(dir.resolve("events.log"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            ackFile = FileChannel.open(dir.resolve("acked"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event outbox in " + dir, e);
        }
    }

    /**
     * The entries not acknowledged yet, in order. Call once, before any {@link #append}: the journal then counts
     * them as written.
     */
    public synchronized List<Entry> pending() {
        try {
            ByteBuffer count = ByteBuffer.allocate(Long.BYTES);
            acked = ackFile.read(count, 0) == Long.BYTES ? count.flip().getLong() : 0;
            ByteBuffer bytes = ByteBuffer.allocate((int) log.size());
            while (bytes.hasRemaining() && log.read(bytes, bytes.position()) > 0) {
                // read the whole log: it holds at most the events of one broker outage
            }
            bytes.flip();
            List<Entry> all = new ArrayList<>();
            Entry e;
            while ((e = next(bytes)) != null) {
                all.add(e);
            }
            log.truncate(bytes.position()); // drops a record cut short by a crash
            log.position(bytes.position());
            written = all.size();
            acked = Math.min(acked, written);
            return List.copyOf(all.subList((int) acked, all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the event outbox", e);
        }
    }

    /** The record at the buffer's position, or null (position unchanged) when no whole record is left. */
    private static Entry next(ByteBuffer b) {
        int start = b.position();
        try {
            String topic = string(b);
            String key = string(b);
            int length = b.getInt();
            if (length < 0 || length > b.remaining()) {
                throw new java.nio.BufferUnderflowException();
            }
            byte[] value = new byte[length];
            b.get(value);
            return new Entry(topic, key, value);
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException cut) {
            b.position(start);
            return null;
        }
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[b.getShort() & 0xffff];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** Adds an event at the end (to the operating system's cache: it survives the process, not the machine). */
    public synchronized void append(Entry e) {
        byte[] topic = e.topic().getBytes(StandardCharsets.UTF_8);
        byte[] key = e.key().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + topic.length + 2 + key.length + 4 + e.value().length);
        b.putShort((short) topic.length).put(topic).putShort((short) key.length).put(key).putInt(e.value().length).put(e.value());
        try {
            writeFully(log, b.flip());
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot append to the event outbox", ex);
        }
        written++;
    }

    /** The broker acknowledged the oldest unacknowledged event; an empty backlog empties the log. */
    public synchronized void acknowledged() {
        acked++;
        try {
            if (acked == written) {
                log.truncate(0); // first the log, then the count: a crash in between resends nothing twice
                log.position(0);
                written = 0;
                acked = 0;
            }
            ByteBuffer count = ByteBuffer.allocate(Long.BYTES).putLong(acked).flip();
            ackFile.write(count, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the event outbox", e);
        }
    }

    /** Events written and not yet acknowledged. */
    public synchronized long backlog() {
        return written - acked;
    }

    @Override
    public synchronized void close() throws IOException {
        log.close();
        ackFile.close();
    }

    private static void writeFully(FileChannel channel, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }
}
