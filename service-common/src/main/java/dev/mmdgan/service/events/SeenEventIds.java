package dev.mmdgan.service.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The most recent event ids a consumer handled, kept in a file so that a repeat is recognised after a restart too.
 * Bounded: the oldest ids go once there are more than {@code capacity}.
 */
public final class SeenEventIds {

    private final Path file;
    private final int capacity;
    private final LinkedHashSet<String> ids = new LinkedHashSet<>();
    private int linesInFile;

    public SeenEventIds(Path file, int capacity) {
        this.file = file;
        this.capacity = capacity;
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            lines.stream().skip(Math.max(0, lines.size() - capacity)).filter(l -> !l.isBlank()).forEach(ids::add);
            linesInFile = lines.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the seen event ids in " + file, e);
        }
    }

    /** The last {@code capacity} ids, kept in memory only: for a consumer that starts afresh each time. */
    public static SeenEventIds inMemory(int capacity) {
        return new SeenEventIds(null, capacity);
    }

    public synchronized boolean contains(String id) {
        return ids.contains(id);
    }

    /** Remembers an id (in memory and in the file). */
    public synchronized void add(String id) {
        if (!ids.add(id)) {
            return;
        }
        if (ids.size() > capacity) {
            ids.remove(ids.iterator().next());
        }
        if (file == null) {
            return;
        }
        try {
            if (linesInFile >= 2 * capacity) { // rewrite without the forgotten ids
                Files.write(file, ids, StandardCharsets.UTF_8);
                linesInFile = ids.size();
            } else {
                Files.writeString(file, id + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                linesInFile++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record a seen event id in " + file, e);
        }
    }
}
