package dev.mmdgan.sampler.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Loaded models by (run, step), bounded by count and by bytes: when a load goes past either bound, the least recently
 * used models go first (the newest one always stays). Each (run, step) loads once however many callers ask at the
 * same time. Evicted models close once their last request has finished ({@link ServedModel}).
 */
public final class ModelCache {

    /** Loads one checkpoint's model; {@link CheckpointMissing} when the store has no such checkpoint. */
    public interface Loader {
        ServedModel load(String runId, long step) throws Exception;
    }

    /** The store has no complete checkpoint of this run at this step. */
    public static final class CheckpointMissing extends RuntimeException {
        public CheckpointMissing(String message) {
            super(message);
        }
    }

    record Key(String runId, long step) {
    }

    private final int maxModels;
    private final long maxBytes;
    private final Loader loader;
    /** Access order: the eldest entry is the least recently used. Guarded by {@code this}. */
    private final LinkedHashMap<Key, ServedModel> models = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Key, CompletableFuture<ServedModel>> loading = new HashMap<>();
    private long bytes;
    private long evictions;

    public ModelCache(int maxModels, long maxBytes, Loader loader) {
        if (maxModels < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("the model cache needs room for at least one model");
        }
        this.maxModels = maxModels;
        this.maxBytes = maxBytes;
        this.loader = loader;
    }

    /**
     * The model of {@code runId} at {@code step}, loaded if it is not cached, with a reference the caller must
     * {@link ServedModel#release() release}.
     */
    public ServedModel acquire(String runId, long step) throws Exception {
        Key key = new Key(runId, step);
        while (true) {
            CompletableFuture<ServedModel> pending;
            boolean mine = false;
            synchronized (this) {
                ServedModel cached = models.get(key);
                if (cached != null && cached.retain()) {
                    return cached;
                }
                pending = loading.get(key);
                if (pending == null) {
                    pending = new CompletableFuture<>();
                    loading.put(key, pending);
                    mine = true;
                }
            }
            if (mine) {
                load(key, pending);
            }
            try {
                ServedModel loaded = pending.get();
                if (loaded.retain()) {
                    return loaded;
                }
                // evicted and closed between its load and this caller: load again
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
            }
        }
    }

    /** The cached model, retained, or null: never loads. */
    public synchronized ServedModel acquireIfCached(String runId, long step) {
        ServedModel cached = models.get(new Key(runId, step));
        return cached != null && cached.retain() ? cached : null;
    }

    private void load(Key key, CompletableFuture<ServedModel> pending) {
        ServedModel loaded;
        try {
            loaded = loader.load(key.runId(), key.step());
        } catch (Throwable e) {
            synchronized (this) {
                loading.remove(key);
            }
            pending.completeExceptionally(e);
            return;
        }
        List<ServedModel> evicted = new ArrayList<>();
        synchronized (this) {
            loading.remove(key);
            ServedModel previous = models.put(key, loaded);
            if (previous != null) { // cannot happen with one load per key; keep the accounting right regardless
                bytes -= previous.sizeBytes();
                evicted.add(previous);
            }
            bytes += loaded.sizeBytes();
            Iterator<Map.Entry<Key, ServedModel>> eldest = models.entrySet().iterator();
            while ((models.size() > maxModels || bytes > maxBytes) && models.size() > 1) {
                Map.Entry<Key, ServedModel> e = eldest.next();
                if (e.getKey().equals(key)) {
                    continue;
                }
                eldest.remove();
                bytes -= e.getValue().sizeBytes();
                evicted.add(e.getValue());
                evictions++;
            }
        }
        pending.complete(loaded);
        evicted.forEach(ServedModel::release); // closes now, or after their last request
    }

    /** Drops every model (closing each after its last request). */
    public void clear() {
        List<ServedModel> all;
        synchronized (this) {
            all = new ArrayList<>(models.values());
            models.clear();
            bytes = 0;
        }
        all.forEach(ServedModel::release);
    }

    public synchronized int size() {
        return models.size();
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long evictions() {
        return evictions;
    }

    /** Cached (run, step) pairs, least recently used first, as "run@step". */
    public synchronized List<String> keys() {
        return models.keySet().stream().map(k -> k.runId() + "@" + k.step()).toList();
    }
}
