package dev.mmdgan.engine.features;

import dev.mmdgan.engine.model.GeneratorModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Generates one sample per seed and embeds the samples, in chunks: the feature network embeds chunk k on its own
 * thread while the generator makes chunk k + 1. On 2 cores the two graphs fill each other's idle time (SameDiff's
 * per-op bookkeeping and copies run on one thread), which takes about a tenth off the generation and embedding of an
 * evaluation. The result is the same, bit for bit, as generating all samples and then embedding them: both networks
 * compute each row independently of the rows it is called with.
 *
 * <p>The embedding runs on one daemon thread for the whole process, not a thread per call: SameDiff keeps a session
 * (and its array pool) per graph and thread, so every new thread would leave one behind.
 */
public final class GeneratedFeatures {

    /** Rows per chunk: a multiple of {@link GraphFeatureNetwork#ROWS_PER_CALL}, 10 chunks for a 10,000-sample evaluation. */
    static final int CHUNK_ROWS = 1000;

    /** How long the last chunk's features may take to arrive, so that a stuck embedding fails instead of hanging. */
    private static final Duration DEADLINE = Duration.ofMinutes(20);

    private static final ExecutorService EMBEDDER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "mmdgan-embedder");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * The samples [seeds.length, sampleSize], their features [seeds.length, featureDim], and the time the generator and
     * the feature network each were busy (the two overlap).
     */
    public record Result(INDArray samples, INDArray features, double generateSeconds, double embedSeconds) {
    }

    private GeneratedFeatures() {
    }

    public static Result of(GeneratorModel model, long[] seeds, FeatureNetwork network) {
        if (seeds.length == 0) {
            throw new IllegalArgumentException("give at least one seed");
        }
        int n = seeds.length;
        INDArray samples = Nd4j.create(DataType.FLOAT, n, model.sampleSize());
        INDArray features = Nd4j.create(DataType.FLOAT, n, network.featureDim());
        List<Future<Double>> embedded = new ArrayList<>();
        double generateSeconds = 0;
        try {
            for (int from = 0; from < n; from += CHUNK_ROWS) {
                int to = Math.min(n, from + CHUNK_ROWS);
                long t0 = System.nanoTime();
                INDArray chunk = model.generate(Arrays.copyOfRange(seeds, from, to));
                generateSeconds += (System.nanoTime() - t0) / 1e9;
                samples.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(chunk);
                INDArray into = features.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
                embedded.add(EMBEDDER.submit(() -> {
                    long t1 = System.nanoTime();
                    into.assign(network.embed(chunk));
                    return (System.nanoTime() - t1) / 1e9;
                }));
            }
            return new Result(samples, features, generateSeconds, awaitAll(embedded));
        } finally {
            embedded.forEach(f -> f.cancel(false)); // after an error: the chunks not started yet are dropped
        }
    }

    /** Total embedding time of the chunks, once all are done. */
    private static double awaitAll(List<Future<Double>> embedded) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        double seconds = 0;
        for (Future<Double> chunk : embedded) {
            try {
                seconds += chunk.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("embedding the samples failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("embedding the samples took longer than " + DEADLINE.toMinutes() + " minutes");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while embedding the samples", e);
            }
        }
        return seconds;
    }
}
