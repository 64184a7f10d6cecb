package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.engine.features.KidEvaluator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prepared KID references, one per (real set, feature network, KID configuration): the real set is embedded and its
 * subsets' within-set sums computed once, then reused by every evaluation of every run on that data. Bounded (least
 * recently used go first).
 */
public final class ReferenceCache {

    private final int capacity;
    private final Map<String, KidEvaluator> entries;
    private final AtomicLong preparations = new AtomicLong();

    public ReferenceCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** The prepared reference of {@code heldOut} under {@code config}, prepared now if it is not cached. */
    public KidEvaluator get(FeatureSource.HeldOut heldOut, KidConfig config) {
        String key = heldOut.key() + "|" + heldOut.network().name() + "|" + config;
        synchronized (entries) {
            KidEvaluator p = entries.get(key);
            if (p != null) {
                return p;
            }
            p = KidEvaluator.prepare(heldOut.network(), heldOut.realSamples(), config);
            preparations.incrementAndGet();
            entries.put(key, p);
            if (entries.size() > capacity) {
                entries.remove(entries.keySet().iterator().next());
            }
            return p;
        }
    }

    /** How many references were prepared so far (each costs the real set's embedding and within-set sums). */
    public long preparations() {
        return preparations.get();
    }
}
