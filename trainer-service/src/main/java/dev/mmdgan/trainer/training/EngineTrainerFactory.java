package dev.mmdgan.trainer.training;

import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.RunSpec;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;

/** The engine itself; tests may replace it with another {@link TrainerFactory} bean to inject faults. */
@ApplicationScoped
@DefaultBean
public class EngineTrainerFactory implements TrainerFactory {

    @Override
    public MmdGanTrainer create(RunSpec spec) {
        return spec.newTrainer();
    }

    @Override
    public MmdGanTrainer restore(Path dir) {
        return Checkpoints.restore(dir).trainer();
    }
}
