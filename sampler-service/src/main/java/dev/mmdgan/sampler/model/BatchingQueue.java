package dev.mmdgan.sampler.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Dynamic batching: the latent rows of concurrent requests for the same model are concatenated into one generator
 * call of up to {@code maxBatchRows} rows, and each request gets back exactly its own rows (a generator's row depends
 * on its latent row alone). A worker takes whatever is queued for the model at the head of the queue; with
 * {@code maxDelay} > 0 it waits that long for more before it runs a batch that is not full. Disabled, every request
 * runs alone.
 *
 * <p>The queue is bounded by rows: a request that would take it past {@code maxQueuedRows} is refused at once
 * ({@link Overloaded}), so overload never turns into memory growth. A request whose caller has gone (cancelled, past
 * its deadline) is dropped before it uses compute, and so is the rest of a request that is computed in parts.
 */
public final class BatchingQueue implements AutoCloseable {

    /** How requests are batched. */
    public record Settings(boolean enabled, int maxBatchRows, Duration maxDelay, int maxQueuedRows, int workers) {
        public Settings {
            if (maxBatchRows < 1 || maxQueuedRows < 1 || workers < 1 || maxDelay.isNegative()) {
                throw new IllegalArgumentException("batching needs max-batch ≥ 1, max-queued ≥ 1, workers ≥ 1, max-delay ≥ 0");
            }
        }
    }

    /** The queue is full: the caller should retry later. */
    public static final class Overloaded extends RuntimeException {
        public Overloaded(String message) {
            super(message);
        }
    }

    /** What a batch did, for metrics. */
    public interface BatchListener {
        void batch(int requests, int rows, long nanos);
    }

    private static final class Job {
        final ServedModel model;
        final float[] latents;
        final int rows;
        final BooleanSupplier cancelled;
        final CompletableFuture<float[]> result = new CompletableFuture<>();

        Job(ServedModel model, float[] latents, int rows, BooleanSupplier cancelled) {
            this.model = model;
            this.latents = latents;
            this.rows = rows;
            this.cancelled = cancelled;
        }
    }

    private final Settings settings;
    private final BatchListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private final LinkedList<Job> queue = new LinkedList<>();
    private final List<Thread> workers = new ArrayList<>();
    private int queuedRows;
    private volatile boolean open = true;

    public BatchingQueue(Settings settings, BatchListener listener) {
        this.settings = settings;
        this.listener = listener;
        for (int i = 0; i < settings.workers(); i++) {
            Thread t = new Thread(this::work, "sampler-batch-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Queues {@code rows} latent vectors ({@code latents}, row after row) for {@code model}; the caller holds a reference
     * to the model until the result is complete. The result is rows × sampleSize values, or fails with
     * {@link CancellationException} when {@code cancelled} said so before the rows were computed.
     *
     * @throws Overloaded when the queue has no room for {@code rows} more rows
     */
    public CompletableFuture<float[]> submit(ServedModel model, float[] latents, int rows, BooleanSupplier cancelled) {
        Job job = new Job(model, latents, rows, cancelled);
        lock.lock();
        try {
            if (!open) {
                throw new IllegalStateException("the sampler is shutting down");
            }
            if (queuedRows + rows > settings.maxQueuedRows()) {
                throw new Overloaded("the sampler is at its limit of " + settings.maxQueuedRows() + " queued samples "
                        + "(mmdgan.sampler.max-queued-samples; " + queuedRows + " queued, this request adds " + rows
                        + "); retry later");
            }
            queue.add(job);
            queuedRows += rows;
            queued.signal();
        } finally {
            lock.unlock();
        }
        return job.result;
    }

    /** Rows queued now. */
    public int queuedRows() {
        lock.lock();
        try {
            return queuedRows;
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (open) {
            List<Job> batch;
            try {
                batch = take();
            } catch (InterruptedException e) {
                return;
            }
            if (!batch.isEmpty()) {
                run(batch);
            }
        }
    }

    /**
     * The next batch: the head job and the queued jobs of the same model that fit, waiting up to maxDelay for more.
     * A job in a batch that is still forming counts as queued until the batch is handed to the generator, so the
     * bound holds while a batch waits.
     */
    private List<Job> take() throws InterruptedException {
        lock.lock();
        int taken = 0;
        try {
            while (queue.isEmpty()) {
                queued.await();
            }
            List<Job> batch = new ArrayList<>();
            Job head = queue.removeFirst();
            taken += head.rows;
            if (head.cancelled.getAsBoolean()) {
                head.result.completeExceptionally(new CancellationException("the caller cancelled or its deadline passed"));
                return batch;
            }
            batch.add(head);
            if (!settings.enabled()) {
                return batch;
            }
            int rows = head.rows;
            long deadline = System.nanoTime() + settings.maxDelay().toNanos();
            while (true) {
                for (Iterator<Job> it = queue.iterator(); it.hasNext() && rows < settings.maxBatchRows(); ) {
                    Job j = it.next();
                    if (j.model == head.model && rows + j.rows <= settings.maxBatchRows()) {
                        it.remove();
                        taken += j.rows;
                        if (j.cancelled.getAsBoolean()) {
                            j.result.completeExceptionally(new CancellationException("the caller cancelled or its deadline passed"));
                        } else {
                            batch.add(j);
                            rows += j.rows;
                        }
                    }
                }
                long wait = deadline - System.nanoTime();
                if (rows >= settings.maxBatchRows() || wait <= 0) {
                    return batch;
                }
                try {
                    queued.awaitNanos(wait);
                } catch (InterruptedException e) { // closing: the forming batch fails like the queued jobs
                    batch.forEach(j -> j.result.completeExceptionally(new IllegalStateException("the sampler is shutting down")));
                    throw e;
                }
            }
        } finally {
            if (open) { // close() has emptied the count already
                queuedRows -= taken;
            }
            lock.unlock();
        }
    }

    private void run(List<Job> batch) {
        long start = System.nanoTime();
        Generator g = batch.get(0).model.generator();
        int dim = g.noiseDim();
        int rows = batch.stream().mapToInt(j -> j.rows).sum();
        try {
            float[] out;
            if (batch.size() == 1) {
                out = g.generate(batch.get(0).latents, rows);
            } else {
                float[] z = new float[Math.multiplyExact(rows, dim)];
                int at = 0;
                for (Job j : batch) {
                    System.arraycopy(j.latents, 0, z, at, j.rows * dim);
                    at += j.rows * dim;
                }
                out = g.generate(z, rows);
            }
            int size = g.sampleSize();
            int from = 0;
            for (Job j : batch) {
                float[] mine = batch.size() == 1 ? out : new float[j.rows * size];
                if (batch.size() > 1) {
                    System.arraycopy(out, from, mine, 0, mine.length);
                }
                from += j.rows * size;
                j.result.complete(mine);
            }
        } catch (Throwable e) { // every caller hears of it; the worker goes on
            batch.forEach(j -> j.result.completeExceptionally(e));
        }
        listener.batch(batch.size(), rows, System.nanoTime() - start);
    }

    /** Stops the workers; queued requests fail. */
    @Override
    public void close() {
        lock.lock();
        try {
            open = false;
            queue.forEach(j -> j.result.completeExceptionally(new IllegalStateException("the sampler is shutting down")));
            queue.clear();
            queuedRows = 0;
        } finally {
            lock.unlock();
        }
        workers.forEach(Thread::interrupt);
    }
}
