package dev.mmdgan.trainer.training;

import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.RunSpec;
import java.nio.file.Path;

/** Makes the engine's trainers: a new one for a run, or one restored from a downloaded checkpoint. */
public interface TrainerFactory {

    /** A trainer at step 0; loads the run's data set. */
    MmdGanTrainer create(RunSpec spec);

    /** A trainer restored from checkpoint folder {@code dir} (manifest verified); loads the run's data set. */
    MmdGanTrainer restore(Path dir);
}
