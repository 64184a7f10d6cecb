package dev.mmdgan.evaluator.storage;

import dev.mmdgan.api.v1.Evaluation;
import dev.mmdgan.service.storage.BlobStore;
import dev.mmdgan.service.storage.CheckpointStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Evaluations in the object store, beside the run's checkpoints:
 * <ul>
 *   <li>{@code runs/{run}/evaluations/{step}/evaluation.pb}: the {@link Evaluation} message;</li>
 *   <li>{@code runs/{run}/evaluations/{step}/samples.png}: its picture ({@link Evaluation#getPictureKey()} names it);</li>
 *   <li>{@code runs/{run}/evaluations/scheduler.bin}: where the run's learning-rate rule stands (see RunProgress).</li>
 * </ul>
 * One attempt per call: callers retry.
 */
public final class EvaluationStore {

    public static final String EVALUATION = "evaluation.pb";
    public static final String PICTURE = "samples.png";
    public static final String PROGRESS = "scheduler.bin";

    private final BlobStore blobs;

    public EvaluationStore(BlobStore blobs) {
        this.blobs = blobs;
    }

    public static String prefix(String runId) {
        return CheckpointStore.runPrefix(runId) + "evaluations/";
    }

    public static String evaluationKey(String runId, long step) {
        return prefix(runId) + step + "/" + EVALUATION;
    }

    public static String pictureKey(String runId, long step) {
        return prefix(runId) + step + "/" + PICTURE;
    }

    public static String progressKey(String runId) {
        return prefix(runId) + PROGRESS;
    }

    public void ensureBucket() throws Exception {
        blobs.ensureBucket();
    }

    public void savePicture(String runId, long step, byte[] png) throws Exception {
        blobs.put(pictureKey(runId, step), png);
    }

    public void save(Evaluation evaluation) throws Exception {
        blobs.put(evaluationKey(evaluation.getRunId(), evaluation.getGeneratorStep()), evaluation.toByteArray());
    }

    /** The stored evaluation of a run at a step, if there is one. */
    public Optional<Evaluation> find(String runId, long step) throws Exception {
        String key = evaluationKey(runId, step);
        if (blobs.list(key).stream().noneMatch(b -> b.name().equals(key))) {
            return Optional.empty();
        }
        return Optional.of(Evaluation.parseFrom(blobs.get(key)));
    }

    /** Steps of a run's stored evaluations, ascending. */
    public List<Long> steps(String runId) throws Exception {
        List<Long> steps = new ArrayList<>();
        String prefix = prefix(runId);
        for (BlobStore.Blob b : blobs.list(prefix)) {
            String rest = b.name().substring(prefix.length());
            if (rest.endsWith("/" + EVALUATION)) {
                try {
                    steps.add(Long.parseLong(rest.substring(0, rest.length() - EVALUATION.length() - 1)));
                } catch (NumberFormatException e) {
                    // not ours
                }
            }
        }
        steps.sort(Comparator.naturalOrder());
        return steps;
    }

    public Evaluation get(String runId, long step) throws Exception {
        return Evaluation.parseFrom(blobs.get(evaluationKey(runId, step)));
    }

    public void saveProgress(String runId, byte[] state) throws Exception {
        blobs.put(progressKey(runId), state);
    }

    /** The saved progress of a run, if any. */
    public Optional<byte[]> progress(String runId) throws Exception {
        String key = progressKey(runId);
        if (blobs.list(key).stream().noneMatch(b -> b.name().equals(key))) {
            return Optional.empty();
        }
        return Optional.of(blobs.get(key));
    }

    /** Run ids that have a saved progress. */
    public List<String> runsWithProgress() throws Exception {
        List<String> runs = new ArrayList<>();
        for (BlobStore.Blob b : blobs.list("runs/")) {
            if (b.name().endsWith("/evaluations/" + PROGRESS)) {
                runs.add(b.name().split("/")[1]);
            }
        }
        return runs;
    }
}
