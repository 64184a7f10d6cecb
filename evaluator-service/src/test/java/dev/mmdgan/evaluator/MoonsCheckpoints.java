package dev.mmdgan.evaluator;

import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.RunDefaults;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.service.storage.CheckpointStore;
import java.nio.file.Path;

/**
 * Checkpoints of a tiny moons run that stops improving: one generator, trained a few steps, saved under any step
 * number, so every checkpoint generates the same samples and each relative test fails.
 */
public final class MoonsCheckpoints {

    private final RunSpec spec = RunDefaults.spec("moons", null, "mlp-2d", "mmd", 3);
    private final MmdGanTrainer trainer = spec.newTrainer();
    private final Path dir;

    public MoonsCheckpoints(Path dir) {
        this.dir = dir;
        for (int i = 0; i < 3; i++) {
            trainer.trainStep();
        }
    }

    /** The trainer's data set identity (as its checkpoints' provenance records it). */
    public String datasetIdentity() {
        return trainer.data().identity();
    }

    /** Saves the unchanged generator as the checkpoint of {@code step} and uploads it for {@code runId}. */
    public CheckpointRef upload(CheckpointStore store, String runId, long step) throws InterruptedException {
        trainer.resumeAt(step);
        Path saved = Checkpoints.save(trainer, spec, dir.resolve(runId));
        return store.upload(runId, step, saved, () -> false, e -> {
        });
    }
}
