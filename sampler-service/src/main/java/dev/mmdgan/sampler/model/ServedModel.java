package dev.mmdgan.sampler.model;

import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.Provenance;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded generator of one checkpoint, shared by the cache and the requests that use it. Reference counted: the
 * cache holds one reference while the model is cached, each request one while it runs ({@link #retain()} /
 * {@link #release()}), so a model evicted or swapped out keeps serving the requests that started on it and is closed
 * after the last one.
 */
public final class ServedModel {

    private final String runId;
    private final long step;
    private final Generator generator;
    private final CheckpointRef checkpoint;
    private final Provenance provenance;
    private final Instant loadedAt;
    /** The cache's reference plus one per request; 0 = closed for good. */
    private final AtomicInteger references = new AtomicInteger(1);

    public ServedModel(String runId, long step, Generator generator, CheckpointRef checkpoint, Provenance provenance, Instant loadedAt) {
        this.runId = runId;
        this.step = step;
        this.generator = generator;
        this.checkpoint = checkpoint;
        this.provenance = provenance;
        this.loadedAt = loadedAt;
    }

    /** Takes a reference for a request; false once the model is closed (the caller then loads it again). */
    public boolean retain() {
        while (true) {
            int n = references.get();
            if (n == 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives a reference back; the last one closes the generator. */
    public void release() {
        int n = references.decrementAndGet();
        if (n == 0) {
            generator.close();
        } else if (n < 0) {
            throw new IllegalStateException("released more often than retained: " + this);
        }
    }

    public boolean closed() {
        return references.get() == 0;
    }

    public String runId() {
        return runId;
    }

    public long step() {
        return step;
    }

    public Generator generator() {
        return generator;
    }

    public CheckpointRef checkpoint() {
        return checkpoint;
    }

    public Provenance provenance() {
        return provenance;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public long sizeBytes() {
        return generator.sizeBytes();
    }

    @Override
    public String toString() {
        return runId + "@" + step;
    }
}
