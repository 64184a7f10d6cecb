package dev.mmdgan.engine.model;

import dev.mmdgan.engine.checkpoint.CheckpointProvenance;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.checkpoint.GeneratorSignature;
import dev.mmdgan.engine.train.MmdGanTrainer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An inference-only generator loaded from a checkpoint folder: its {@code generator.sd} graph (z → samples) and
 * {@code checkpoint.properties}, read after the manifest is verified. It builds no trainer and never reads the data
 * set, so the data need not be on this machine.
 *
 * <p>Samples come back as rows of an [n, sampleSize] float32 array; {@link #sampleShape()} says how to view a row
 * (e.g. [1, 28, 28]). {@link #generate(long[])} makes sample i from seed i alone ({@link LatentNoise}): sample i of a
 * request is bitwise the sample of a request for that seed alone.
 *
 * <p>Thread-safe: concurrent callers take turns on the graph (one lock around each graph call; everything else is
 * per call). Close it to drop the graph; a closed model refuses to generate.
 */
public final class GeneratorModel implements AutoCloseable {

    static final String INPUT = "z";
    static final String OUTPUT = "samples";

    /**
     * Rows of the canonical graph call. BLAS and oneDNN choose their kernels, and so their summation order, by shape,
     * while a sample must not depend on how many others were asked for with it: so every call has one of a few fixed
     * shapes, the last chunk of a request padded with zero noise, and a shape other than this one is used only where
     * {@link #verifiedCallRows} found that it computes every row bit for bit as calls of this shape do.
     */
    static final int ROWS_PER_CALL = 64;
    /**
     * The other call shapes tried at load: one and eight rows, so that a small request costs a small forward. (Larger
     * calls than 64 rows were measured too: 256 rows made 10,000 dcgan-28 samples no faster on 2 cores.)
     */
    static final int[] OTHER_CALL_ROWS = {1, 8};

    private final Path checkpoint;
    private final GeneratorSignature signature;
    private final CheckpointProvenance provenance;
    /** The verified call shapes in rows, ascending; {@link #ROWS_PER_CALL} is always one. */
    private final int[] callRows;
    private final boolean folded;
    private final ReentrantLock lock = new ReentrantLock();
    /** Null once closed; read and used only under {@link #lock}. */
    private SameDiff graph;

    private GeneratorModel(Path checkpoint, SameDiff graph, GeneratorSignature signature, CheckpointProvenance provenance,
                           int[] callRows, boolean folded) {
        this.checkpoint = checkpoint;
        this.graph = graph;
        this.signature = signature;
        this.provenance = provenance;
        this.callRows = callRows;
        this.folded = folded;
    }

    /**
     * Loads the generator of a checkpoint folder (not a run folder: see {@link Checkpoints#resolve}). A missing, damaged
     * or altered file, or a format this build does not read, is an {@link IllegalArgumentException} that names it.
     */
    public static GeneratorModel load(Path checkpoint) {
        Properties metadata = Checkpoints.metadata(checkpoint); // verifies the manifest and the format first
        CheckpointProvenance provenance = CheckpointProvenance.of(metadata);
        SameDiff graph = loadGraph(checkpoint);
        GeneratorSignature signature = GeneratorSignature.read(metadata)
                .orElseGet(() -> FormatOneSignature.derive(metadata, outputSize(graph, FormatOneSignature.noiseDim(metadata))));
        if (!MmdGanTrainer.NOISE_DISTRIBUTION.equals(signature.noise())) {
            throw new IllegalArgumentException(checkpoint + ": the generator was trained on " + signature.noise()
                    + " noise; this build draws only " + MmdGanTrainer.NOISE_DISTRIBUTION + " noise");
        }
        int made = outputSize(graph, signature.noiseDim());
        if (made != signature.sampleSize()) {
            throw new IllegalArgumentException(checkpoint + ": " + Checkpoints.GENERATOR_GRAPH + " makes samples of " + made
                    + " values but " + Checkpoints.METADATA + " says " + Arrays.toString(signature.sampleShape()));
        }
        // The folded graph is served only where its canonical call gives the stored graph's bits: folding must never
        // change a sample.
        INDArray probe = probe(signature.noiseDim());
        INDArray canonical = call(graph, probe);
        SameDiff folded = FoldedGraph.of(graph, OUTPUT);
        boolean same = Arrays.equals(call(folded, probe).data().asFloat(), canonical.data().asFloat());
        SameDiff served = same ? folded : graph;
        (same ? graph : folded).getSessions().clear();
        return new GeneratorModel(checkpoint, served, signature, provenance, verifiedCallRows(served, probe, canonical), same);
    }

    /** {@link #ROWS_PER_CALL} rows of seeded noise, the input of the load-time comparisons. */
    private static INDArray probe(int noiseDim) {
        float[] z = new float[ROWS_PER_CALL * noiseDim];
        for (int i = 0; i < ROWS_PER_CALL; i++) {
            System.arraycopy(LatentNoise.of(i, noiseDim), 0, z, i * noiseDim, noiseDim);
        }
        return Nd4j.create(z, new long[] {ROWS_PER_CALL, noiseDim}, 'c');
    }

    /**
     * The call shapes whose rows equal, bit for bit, the rows that {@link #ROWS_PER_CALL}-row calls make of the same
     * noise ({@code canonical}, the graph's output for {@code probe}), compared at the first and the last position of a call: the same kernels then compute them, and so
     * they agree whatever the values. The calls also warm each shape, so that the first request does not pay for it.
     */
    private static int[] verifiedCallRows(SameDiff graph, INDArray probe, INDArray canonical) {
        IntStream.Builder verified = IntStream.builder().add(ROWS_PER_CALL);
        for (int shape : OTHER_CALL_ROWS) {
            boolean same = true;
            for (int from : new int[] {0, ROWS_PER_CALL - shape}) {
                same &= Arrays.equals(call(graph, rows(probe, from, shape)).data().asFloat(), rows(canonical, from, shape).data().asFloat());
            }
            if (same) {
                verified.add(shape);
            }
        }
        return verified.build().sorted().toArray();
    }

    /** A copy of {@code count} rows of {@code a} from row {@code from}. */
    private static INDArray rows(INDArray a, int from, int count) {
        return a.get(NDArrayIndex.interval(from, from + count), NDArrayIndex.all()).dup();
    }

    private static INDArray call(SameDiff graph, INDArray z) {
        return graph.output(Map.of(INPUT, z), OUTPUT).get(OUTPUT).dup();
    }

    private static SameDiff loadGraph(Path checkpoint) {
        try {
            return SameDiff.load(checkpoint.resolve(Checkpoints.GENERATOR_GRAPH).toFile(), false);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(checkpoint + ": cannot load " + Checkpoints.GENERATOR_GRAPH + " (" + e.getMessage() + ")", e);
        }
    }

    /** Values per sample that {@code graph} makes, from one call on zero noise. */
    private static int outputSize(SameDiff graph, int noiseDim) {
        return (int) call(graph, Nd4j.zeros(DataType.FLOAT, 1, noiseDim)).columns();
    }

    /** One sample per seed, sample i from noise {@link LatentNoise#of(long, int) z(seeds[i])}: [seeds.length, sampleSize]. */
    public INDArray generate(long[] seeds) {
        return generate(seeds, 0);
    }

    /**
     * As {@link #generate(long[])}, with truncation ψ: components of z outside [−ψ, ψ] are resampled from the truncated
     * normal ({@link LatentNoise#of(long, int, double)}); ψ ≤ 0 means none.
     */
    public INDArray generate(long[] seeds, double truncation) {
        if (seeds.length == 0) {
            throw new IllegalArgumentException("give at least one seed");
        }
        int dim = signature.noiseDim();
        float[] z = new float[Math.multiplyExact(seeds.length, dim)];
        for (int i = 0; i < seeds.length; i++) {
            System.arraycopy(LatentNoise.of(seeds[i], dim, truncation), 0, z, i * dim, dim);
        }
        return generate(Nd4j.create(z, new long[] {seeds.length, dim}, 'c'));
    }

    /** G(z) for each row of {@code latents} [n, noiseDim]: a new [n, sampleSize] array in row-major order, the caller's to keep. */
    public INDArray generate(INDArray latents) {
        int dim = signature.noiseDim();
        if (latents.rank() != 2 || latents.columns() != dim || latents.rows() < 1) {
            throw new IllegalArgumentException("latents must be [n ≥ 1, " + dim + "], got " + Arrays.toString(latents.shape()));
        }
        INDArray z = latents.castTo(DataType.FLOAT);
        long n = z.rows();
        if (n <= ROWS_PER_CALL && callRowsFor(n) == n) { // one call of a verified shape: no padding, no copies
            return run(z.isView() || z.ordering() != 'c' ? z.dup('c') : z);
        }
        INDArray out = Nd4j.create(DataType.FLOAT, n, signature.sampleSize());
        for (long from = 0; from < n; from += ROWS_PER_CALL) {
            long rows = Math.min(ROWS_PER_CALL, n - from);
            INDArray chunk = Nd4j.zeros(DataType.FLOAT, callRowsFor(rows), dim);
            chunk.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all()).assign(z.get(NDArrayIndex.interval(from, from + rows), NDArrayIndex.all()));
            INDArray made = run(chunk);
            out.get(NDArrayIndex.interval(from, from + rows), NDArrayIndex.all()).assign(made.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all()));
        }
        return out;
    }

    /** The smallest verified call shape that holds {@code rows} (at most {@link #ROWS_PER_CALL}). */
    private int callRowsFor(long rows) {
        for (int shape : callRows) {
            if (shape >= rows) {
                return shape;
            }
        }
        return ROWS_PER_CALL;
    }

    /** The call shapes this model uses, in rows, ascending (tests and benchmarks). */
    int[] callRows() {
        return callRows.clone();
    }

    /** Whether the model serves the {@link FoldedGraph folded} graph (tests). */
    boolean folded() {
        return folded;
    }

    /** One graph call, under the lock; returns a copy the caller owns. */
    private INDArray run(INDArray chunk) {
        lock.lock();
        try {
            if (graph == null) {
                throw new IllegalStateException("the generator model of " + checkpoint + " is closed");
            }
            return call(graph, chunk);
        } finally {
            lock.unlock();
        }
    }

    /** Drops the graph (waiting for a call in progress); later calls to generate fail. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (graph != null) {
                graph.getSessions().clear();
                graph = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The checkpoint folder this model was loaded from. */
    public Path checkpoint() {
        return checkpoint;
    }

    public int noiseDim() {
        return signature.noiseDim();
    }

    /** Shape of one sample: [features] or [channels, height, width]. */
    public long[] sampleShape() {
        return signature.sampleShape();
    }

    /** Values in one sample (columns of what {@code generate} returns). */
    public int sampleSize() {
        return signature.sampleSize();
    }

    /** The distribution of z, e.g. {@code standard-normal}. */
    public String noiseDistribution() {
        return signature.noise();
    }

    public String architecture() {
        return provenance.architecture();
    }

    /** Generator steps trained. */
    public long step() {
        return provenance.step();
    }

    public CheckpointProvenance provenance() {
        return provenance;
    }
}
