package dev.mmdgan.sampler;

import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.engine.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Real checkpoints for the tests, trained in-process once per JVM: mlp-2d on moons with a checkpoint after every
 * step (1 to {@value #MOONS_STEPS}), and one dcgan-28 checkpoint (one step on random images) for image formats.
 */
public final class TestCheckpoints {

    public static final int MOONS_STEPS = 18;
    private static final Path ROOT = dev.mmdgan.service.testing.LocalInfra.STATE.resolve("checkpoints-" + ProcessHandle.current().pid());
    private static Map<Integer, Path> moons;
    private static Path dcgan;

    private TestCheckpoints() {
    }

    /** The moons checkpoint after {@code step} steps (1 to {@value #MOONS_STEPS}). */
    public static synchronized Path moons(int step) {
        if (moons == null) {
            moons = new HashMap<>();
            RunSpec spec = new RunSpec("moons", null, "mlp-2d", 8, "mmd", -1, "rq-mix", List.of(), List.of(0.2, 1.0, 5.0),
                    TrainingConfig.DEFAULTS.withBatch(32).withNCritic(1).withSeed(4), MOONS_STEPS, 0);
            MmdGanTrainer trainer = spec.newTrainer();
            for (int s = 1; s <= MOONS_STEPS; s++) {
                trainer.trainStep();
                moons.put(s, Checkpoints.save(trainer, spec, ROOT.resolve("moons")));
            }
        }
        return moons.get(step);
    }

    /** A dcgan-28 checkpoint at step 1. */
    public static synchronized Path dcgan() {
        if (dcgan == null) {
            try {
                Path images = ROOT.resolve("images").resolve("images.npy");
                Files.createDirectories(images.getParent());
                Nd4j.getRandom().setSeed(2);
                NpyArrays.write(images, Nd4j.rand(DataType.FLOAT, 24, 1, 28, 28).muli(2).subi(1));
                RunSpec conv = new RunSpec("npy", images, "dcgan-28", 8, "mmd", -1, "rq-mix", List.of(), List.of(),
                        TrainingConfig.DEFAULTS.withBatch(4).withNCritic(1).withSeed(2), 1, 0);
                MmdGanTrainer trainer = conv.newTrainer();
                trainer.trainStep();
                dcgan = Checkpoints.save(trainer, conv, ROOT.resolve("dcgan"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return dcgan;
    }
}
