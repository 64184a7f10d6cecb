package dev.mmdgan.engine.features;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.NoOpMemoryMgr;

/**
 * Makes the calling thread's SameDiff sessions allocate every op output afresh.
 *
 * <p>Why: with SameDiff 1.0.0-M2.1's default array cache, every second call of the classifier on the same batch
 * returned different features (the first agreed with a plain-loop computation to 2e−6, the second was off by
 * about 4), and training on a fixed batch did not lower its loss. Fresh arrays make each call right and
 * repeatable; the cost is allocation, which is small next to the convolutions here.
 */
final class FreshArrays {

    private FreshArrays() {
    }

    static void attach(SameDiff sd) {
        SameDiff gradient = sd.getFunction("grad");
        for (SameDiff graph : gradient == null ? new SameDiff[] {sd} : new SameDiff[] {sd, gradient}) {
            InferenceSession session = graph.getSessions().computeIfAbsent(Thread.currentThread().getId(),
                    id -> new InferenceSession(graph));
            if (!(session.getMmgr() instanceof NoOpMemoryMgr)) {
                session.setMmgr(new NoOpMemoryMgr());
            }
        }
    }
}
