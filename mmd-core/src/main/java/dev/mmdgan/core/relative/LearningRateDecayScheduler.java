package dev.mmdgan.core.relative;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * KID-driven learning-rate decay (docs/methods.md §8.2), as mbinkowski's scorer does it but on by default.
 *
 * <ul>
 *   <li>While fewer than {@code window} evaluations are stored: store this one, no test (WARMUP).</li>
 *   <li>Otherwise test the current evaluation Y against the oldest stored one Z.</li>
 *   <li>p ≤ threshold (PASS): drop the oldest, store Y, reset the failure count.</li>
 *   <li>p &gt; threshold (FAIL): count a failure; nothing is stored, so the next test reuses Z.</li>
 *   <li>The {@code maxFailures}-th failure in a row (DECAY): lr ← max(lr·factor, floor), the memory becomes
 *       (memory + [Y]) cut to its last 3 entries (fewer if the window is smaller), and the failure count
 *       resets; so with the default window the next test comes 7 evaluations later.</li>
 * </ul>
 *
 * Only {@link EvaluationSums} are kept. {@link #save()} and {@link #restore(byte[])} persist the whole state.
 */
public final class LearningRateDecayScheduler {

    /** Entries kept after a decay, as in the reference code ({@code (memory + [Y])[-3:]}). */
    static final int KEEP_AFTER_DECAY = 3;

    private static final int MAGIC = 0x4d4d4453; // "MMDS"
    private static final int FORMAT_VERSION = 1;

    private final DecayConfig config;
    private final Deque<Entry> memory = new ArrayDeque<>();
    private double learningRate;
    private int failures;
    private int decays;

    /** A stored evaluation. */
    public record Entry(long step, EvaluationSums sums) {
    }

    public LearningRateDecayScheduler(DecayConfig config, double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
        }
        this.config = config;
        this.learningRate = learningRate;
    }

    /** Feeds one evaluation (taken at generator {@code step}) and returns the decision. */
    public synchronized DecayDecision observe(long step, EvaluationSums current) {
        double before = learningRate;
        if (memory.size() < config.window()) {
            memory.addLast(new Entry(step, current));
            return new DecayDecision(DecayDecision.Kind.WARMUP, step, null, -1, before, before);
        }
        Entry previous = memory.peekFirst();
        RelativeTestResult test = RelativeSimilarityTest.test(current, previous.sums());
        if (test.pValue() <= config.pThreshold()) {
            memory.removeFirst();
            memory.addLast(new Entry(step, current));
            failures = 0;
            return new DecayDecision(DecayDecision.Kind.PASS, step, test, previous.step(), before, before);
        }
        failures++;
        if (failures < config.maxFailures()) {
            return new DecayDecision(DecayDecision.Kind.FAIL, step, test, previous.step(), before, before);
        }
        learningRate = Math.max(learningRate * config.decayFactor(), config.floor());
        decays++;
        failures = 0;
        memory.addLast(new Entry(step, current));
        while (memory.size() > Math.min(KEEP_AFTER_DECAY, config.window())) {
            memory.removeFirst();
        }
        return new DecayDecision(DecayDecision.Kind.DECAY, step, test, previous.step(), before, learningRate);
    }

    public DecayConfig config() {
        return config;
    }

    public synchronized double learningRate() {
        return learningRate;
    }

    public synchronized int consecutiveFailures() {
        return failures;
    }

    public synchronized int decays() {
        return decays;
    }

    /** Steps of the stored evaluations, oldest first. */
    public synchronized List<Long> storedSteps() {
        return memory.stream().map(Entry::step).toList();
    }

    /** The full state (config, learning rate, counters, stored sums) as bytes. */
    public synchronized byte[] save() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeInt(config.window());
            out.writeInt(config.maxFailures());
            out.writeDouble(config.decayFactor());
            out.writeDouble(config.floor());
            out.writeDouble(config.pThreshold());
            out.writeDouble(learningRate);
            out.writeInt(failures);
            out.writeInt(decays);
            out.writeInt(memory.size());
            for (Entry e : memory) {
                EvaluationSums s = e.sums();
                out.writeLong(e.step());
                out.writeInt(s.size());
                writeArray(out, s.withinRowSums());
                out.writeDouble(s.withinSquares());
                writeArray(out, s.crossColumnSums());
                writeArray(out, s.crossRowSums());
                out.writeDouble(s.crossSquares());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Restores a state written by {@link #save()}; corrupt or foreign bytes are an IllegalArgumentException. */
    public static LearningRateDecayScheduler restore(byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a saved learning-rate scheduler state (bad magic number)");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unsupported scheduler state version " + version
                        + "; this build reads version " + FORMAT_VERSION);
            }
            DecayConfig config = new DecayConfig(in.readInt(), in.readInt(), in.readDouble(), in.readDouble(), in.readDouble());
            LearningRateDecayScheduler scheduler = new LearningRateDecayScheduler(config, in.readDouble());
            scheduler.failures = in.readInt();
            scheduler.decays = in.readInt();
            int entries = in.readInt();
            List<Entry> restored = new ArrayList<>();
            for (int i = 0; i < entries; i++) {
                long step = in.readLong();
                int m = in.readInt();
                double[] withinRowSums = readArray(in, m);
                double withinSquares = in.readDouble();
                double[] crossColumnSums = readArray(in, m);
                double[] crossRowSums = readArray(in, m);
                restored.add(new Entry(step, new EvaluationSums(withinRowSums, withinSquares, crossColumnSums,
                        crossRowSums, in.readDouble())));
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("scheduler state has trailing bytes");
            }
            scheduler.memory.addAll(restored);
            return scheduler;
        } catch (IOException e) {
            throw new IllegalArgumentException("scheduler state is truncated or corrupt: " + e.getMessage(), e);
        }
    }

    private static void writeArray(DataOutputStream out, double[] values) throws IOException {
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private static double[] readArray(DataInputStream in, int n) throws IOException {
        if (n < 0 || n > 1 << 24) {
            throw new IOException("implausible array length " + n);
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }
}
