package dev.mmdgan.service.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory fake of {@link BlobStore} for tests without an S3 server. It can be switched off ({@link #down}) to
 * act as an unreachable store, and can fail the next few writes.
 */
public final class InMemoryBlobStore implements BlobStore {

    private record Stored(byte[] bytes, Instant at) {
    }

    private final Map<String, Stored> objects = new ConcurrentSkipListMap<>();
    private final AtomicInteger failingWrites = new AtomicInteger();
    private volatile boolean down;

    /** The store stops (true) or starts (false) answering. */
    public void down(boolean down) {
        this.down = down;
    }

    /** The next {@code n} writes fail. */
    public void failNextWrites(int n) {
        failingWrites.set(n);
    }

    public boolean exists(String name) {
        return objects.containsKey(name);
    }

    public void delete(String name) {
        objects.remove(name);
    }

    private void check() throws IOException {
        if (down) {
            throw new IOException("connection refused (in-memory store is down)");
        }
    }

    private void checkWrite() throws IOException {
        check();
        if (failingWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("write failed (injected)");
        }
    }

    @Override
    public void ensureBucket() throws IOException {
        check();
    }

    @Override
    public boolean reachable() {
        return !down;
    }

    @Override
    public void put(String name, Path file) throws IOException {
        checkWrite();
        objects.put(name, new Stored(Files.readAllBytes(file), Instant.now()));
    }

    @Override
    public void put(String name, byte[] bytes) throws IOException {
        checkWrite();
        objects.put(name, new Stored(bytes.clone(), Instant.now()));
    }

    @Override
    public byte[] get(String name) throws IOException {
        check();
        Stored s = objects.get(name);
        if (s == null) {
            throw new NoSuchFileException(name);
        }
        return s.bytes().clone();
    }

    @Override
    public void download(String name, Path target) throws IOException {
        byte[] bytes = get(name);
        Files.createDirectories(target.getParent());
        Files.write(target, bytes);
    }

    @Override
    public long size(String name) throws IOException {
        return get(name).length;
    }

    @Override
    public List<Blob> list(String prefix) throws IOException {
        check();
        return objects.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(e -> new Blob(e.getKey(), e.getValue().bytes().length, e.getValue().at())).toList();
    }

    @Override
    public String uri(String name) {
        return "s3://in-memory/" + name;
    }
}
