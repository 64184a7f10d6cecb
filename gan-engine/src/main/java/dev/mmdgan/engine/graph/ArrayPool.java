package dev.mmdgan.engine.graph;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.BaseNDArray;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Memory for a SameDiff session that is reused from one call to the next: every array the session allocates
 * goes back into the pool when the session releases it or when the caller {@link #recycle recycles} the call,
 * and the next op that needs the same data type and shape gets it again.
 *
 * <p>Why: in SameDiff 1.0.0-M2.1 a gradient computation releases almost none of its arrays (3 of 715 per
 * dcgan-28 critic update), so every op output was a fresh allocation that libnd4j zero-fills, the kernel
 * faults in page by page, and only the next garbage collection gives back. That was a quarter of a critic
 * update and most of its memory traffic. A training graph runs the same shapes every step, so after the first
 * step nothing is allocated at all.
 *
 * <p>The rule that keeps this safe: {@link #recycle} may only be called once the caller holds no array that
 * the call returned (copy what must be kept).
 */
public final class ArrayPool extends AbstractMemoryMgr {

    private record Key(DataType type, long[] shape) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.type == type && Arrays.equals(k.shape, shape);
        }

        @Override
        public int hashCode() {
            return 31 * type.hashCode() + Arrays.hashCode(shape);
        }
    }

    /** {@code -Dmmdgan.array-pool=false} leaves SameDiff's own memory manager in place (to compare, or to rule this out). */
    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("mmdgan.array-pool", "true"));

    private final Map<Key, ArrayDeque<INDArray>> free = new HashMap<>();
    private final Set<INDArray> lent = Collections.newSetFromMap(new IdentityHashMap<>());
    private final long maxFreeBytes;
    private long freeBytes;

    /** @param maxFreeBytes most bytes kept for reuse; arrays beyond it are freed at once */
    public ArrayPool(long maxFreeBytes) {
        this.maxFreeBytes = maxFreeBytes;
    }

    /**
     * Gives the current thread's sessions of {@code sd} (and of its gradient function, where gradients are
     * computed) a pool, if they have none yet. Call before each use: SameDiff keeps one session per thread.
     */
    public static void attach(SameDiff sd, long maxFreeBytes) {
        if (!ENABLED) {
            return;
        }
        for (SameDiff graph : graphs(sd)) {
            InferenceSession session = graph.getSessions().computeIfAbsent(Thread.currentThread().getId(),
                    id -> new InferenceSession(graph));
            if (!(session.getMmgr() instanceof ArrayPool)) {
                session.setMmgr(new ArrayPool(maxFreeBytes));
            }
        }
    }

    /** Returns every array of the current thread's last calls on {@code sd} to its pools. */
    public static void recycle(SameDiff sd) {
        for (SameDiff graph : graphs(sd)) {
            InferenceSession session = graph.getSessions().get(Thread.currentThread().getId());
            if (session != null && session.getMmgr() instanceof ArrayPool pool) {
                pool.recycle();
            }
        }
    }

    private static SameDiff[] graphs(SameDiff sd) {
        SameDiff gradient = sd.getFunction("grad");
        return gradient == null ? new SameDiff[] {sd} : new SameDiff[] {sd, gradient};
    }

    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
        ArrayDeque<INDArray> arrays = free.get(new Key(dataType, shape));
        INDArray array = arrays == null ? null : arrays.poll();
        if (array == null) {
            array = Nd4j.createUninitializedDetached(dataType, shape);
        } else {
            freeBytes -= bytes(array);
            if (array instanceof BaseNDArray reused) {
                reused.assignNewId(); // as SameDiff's own cache does: a reused array must not pass for its earlier use
            }
        }
        lent.add(array);
        return array;
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        if (descriptor.isEmpty() || descriptor.getOrder() != 'c') {
            return Nd4j.create(descriptor).detach(); // rare; not pooled
        }
        return allocate(detached, descriptor.dataType(), descriptor.getShape());
    }

    /**
     * The session is done with {@code array}. It goes back to the pool at once unless another array (a view an op
     * returned, such as a reshape's) still shares its buffer; then it waits for {@link #recycle}.
     */
    @Override
    public void release(INDArray array) {
        if (lent.contains(array) && Nd4j.getExecutioner().useCount(array.data()) <= 1) {
            lent.remove(array);
            giveBack(array);
        }
    }

    /** Takes back every array lent since the last recycle. */
    public void recycle() {
        lent.forEach(this::giveBack);
        lent.clear();
    }

    private void giveBack(INDArray array) {
        if (array.wasClosed()) {
            return;
        }
        long size = bytes(array);
        if (freeBytes + size > maxFreeBytes) {
            if (array.closeable()) {
                array.close();
            }
            return;
        }
        free.computeIfAbsent(new Key(array.dataType(), array.shape()), k -> new ArrayDeque<>()).push(array);
        freeBytes += size;
    }

    @Override
    public void close() {
        recycle();
        free.values().forEach(arrays -> arrays.forEach(a -> {
            if (a.closeable()) {
                a.close();
            }
        }));
        free.clear();
        freeBytes = 0;
    }

    private static long bytes(INDArray array) {
        return array.length() * array.dataType().width();
    }
}
