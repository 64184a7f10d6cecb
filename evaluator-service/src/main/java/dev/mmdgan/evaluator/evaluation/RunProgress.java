package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.core.relative.DecayConfig;
import dev.mmdgan.core.relative.LearningRateDecayScheduler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the learning-rate rule of one run stands: its {@link LearningRateDecayScheduler}, the last step it was fed and
 * the checkpoint event ids already counted. Immutable: an evaluation computes the next progress from this one and it
 * replaces this one only once the evaluation is stored, so a failed evaluation never counts (and a repeated one never
 * counts twice). Saved as one object ({@link #save}) so the three parts never disagree.
 *
 * <p>The scheduler runs on a relative learning rate that starts at 1: the evaluator does not know the trainer's rates,
 * and a decision only carries the factor to apply (and the floor).
 */
public final class RunProgress {

    private static final int MAGIC = 0x4d4d4550; // "MMEP"
    private static final int FORMAT_VERSION = 1;
    /** Checkpoint event ids remembered per run. */
    static final int REMEMBERED_IDS = 1000;

    private final LearningRateDecayScheduler scheduler;
    private final long lastStep;
    private final long evaluations;
    private final Set<String> countedIds;

    private RunProgress(LearningRateDecayScheduler scheduler, long lastStep, long evaluations, Set<String> countedIds) {
        this.scheduler = scheduler;
        this.lastStep = lastStep;
        this.evaluations = evaluations;
        this.countedIds = countedIds;
    }

    /** A run not evaluated yet. */
    public static RunProgress start(DecayConfig decay) {
        return new RunProgress(new LearningRateDecayScheduler(decay, 1.0), -1, 0, new LinkedHashSet<>());
    }

    /** The generator step of the last evaluation fed to the rule; −1 for none. */
    public long lastStep() {
        return lastStep;
    }

    /** Evaluations fed to the rule so far. */
    public long evaluations() {
        return evaluations;
    }

    public boolean counted(String eventId) {
        return countedIds.contains(eventId);
    }

    /** A copy of the scheduler to feed the next evaluation to (this progress stays as it is). */
    public LearningRateDecayScheduler nextScheduler() {
        return LearningRateDecayScheduler.restore(scheduler.save());
    }

    public int consecutiveFailures() {
        return scheduler.consecutiveFailures();
    }

    public int decays() {
        return scheduler.decays();
    }

    public List<Long> storedSteps() {
        return scheduler.storedSteps();
    }

    /** The progress after an evaluation at {@code step} fed {@code fed} (from {@link #nextScheduler}). */
    public RunProgress after(LearningRateDecayScheduler fed, long step, String eventId) {
        Set<String> ids = new LinkedHashSet<>(countedIds);
        if (eventId != null && !eventId.isEmpty()) {
            ids.add(eventId);
            while (ids.size() > REMEMBERED_IDS) {
                ids.remove(ids.iterator().next());
            }
        }
        return new RunProgress(fed, Math.max(lastStep, step), evaluations + 1, ids);
    }

    public byte[] save() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(lastStep);
            out.writeLong(evaluations);
            out.writeInt(countedIds.size());
            for (String id : countedIds) {
                out.writeUTF(id);
            }
            byte[] s = scheduler.save();
            out.writeInt(s.length);
            out.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads what {@link #save} wrote; anything else is an IllegalArgumentException. */
    public static RunProgress restore(byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a saved evaluator state (bad magic number)");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unsupported evaluator state version " + version + "; this build reads "
                        + FORMAT_VERSION);
            }
            long lastStep = in.readLong();
            long evaluations = in.readLong();
            int n = in.readInt();
            Set<String> ids = new LinkedHashSet<>();
            for (int i = 0; i < n; i++) {
                ids.add(in.readUTF());
            }
            byte[] s = new byte[in.readInt()];
            in.readFully(s);
            return new RunProgress(LearningRateDecayScheduler.restore(s), lastStep, evaluations, ids);
        } catch (IOException e) {
            throw new IllegalArgumentException("evaluator state is truncated or corrupt: " + e.getMessage(), e);
        }
    }
}
