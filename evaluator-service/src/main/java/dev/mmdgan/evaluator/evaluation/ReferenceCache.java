package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.kid.KidReference;
import dev.mmdgan.engine.features.FeatureNetwork;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Prepared KID references, one per (real set, feature network, KID configuration): the real set is embedded and its
 * subsets' within-set sums computed once, then reused by every evaluation of every run on that data. Bounded (least
 * recently used go first).
 */
public final class ReferenceCache {

    /** A prepared real set: its features, the KID reference, and the network that embedded it. */
    public record Prepared(FeatureNetwork network, INDArray realFeatures, KidReference reference) {

        /** The first m real feature rows: X of the relative test, the same rows for every evaluation. */
        public INDArray relativeReal(int m) {
            return realFeatures.get(NDArrayIndex.interval(0, m), NDArrayIndex.all()).dup();
        }
    }

    private final int capacity;
    private final Map<String, Prepared> entries;
    private final AtomicLong preparations = new AtomicLong();

    public ReferenceCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** The prepared reference of {@code heldOut} under {@code config}, prepared now if it is not cached. */
    public Prepared get(FeatureSource.HeldOut heldOut, KidConfig config) {
        String key = heldOut.key() + "|" + heldOut.network().name() + "|" + config;
        synchronized (entries) {
            Prepared p = entries.get(key);
            if (p != null) {
                return p;
            }
            INDArray features = heldOut.network().embed(heldOut.realSamples());
            p = new Prepared(heldOut.network(), features, KidReference.prepare(features, config));
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
