package dev.mmdgan.engine.features;

import dev.mmdgan.engine.graph.ArrayPool;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;

/**
 * Gives the calling thread's SameDiff sessions of a feature network the engine's {@link ArrayPool}, which hands an
 * op's output buffer to a later op only after the caller {@link #recycle recycles} the whole call.
 *
 * <p>Why: with SameDiff 1.0.0-M2.1's default array cache, every second call of the classifier on the same batch
 * returned different features (the first agreed with a plain-loop computation to 2e−6, the second was off by
 * about 4), and training on a fixed batch did not lower its loss. Fresh arrays for every op
 * ({@code NoOpMemoryMgr}) were right but were never released: a full training grew past 16 GB and was killed.
 * The pool is right (tested against plain loops) and allocates nothing after the first call.
 */
final class FreshArrays {

    /** Most bytes of free arrays each session keeps for reuse. */
    private static final long POOL_BYTES = 1L << 30;

    private FreshArrays() {
    }

    /** Before a call: make sure this thread's sessions (forward and gradient) use a pool. */
    static void attach(SameDiff sd) {
        for (SameDiff graph : graphs(sd)) {
            InferenceSession session = graph.getSessions().computeIfAbsent(Thread.currentThread().getId(),
                    id -> new InferenceSession(graph));
            if (!(session.getMmgr() instanceof ArrayPool)) {
                session.setMmgr(new ArrayPool(POOL_BYTES));
            }
        }
    }

    /** After a call whose results were copied: every array of it goes back to the pool. */
    static void recycle(SameDiff sd) {
        ArrayPool.recycle(sd);
    }

    private static SameDiff[] graphs(SameDiff sd) {
        SameDiff gradient = sd.getFunction("grad");
        return gradient == null ? new SameDiff[] {sd} : new SameDiff[] {sd, gradient};
    }
}
