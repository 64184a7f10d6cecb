package dev.mmdgan.trainer;

import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.trainer.training.EngineTrainerFactory;
import dev.mmdgan.trainer.training.TrainerFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A fault-injecting {@link TrainerFactory} for {@link RunFailureTest}: the run's seed picks the fault (an error thrown
 * while the data loads, or a load that waits until the test lets it go); any other seed gets the real engine.
 * Enabled only by that test's profile.
 */
@Alternative
@ApplicationScoped
public class FaultyTrainerFactory implements TrainerFactory {

    static final long OUT_OF_MEMORY = 666_001;
    static final long NO_CLASS_DEF = 666_002;
    static final long STACK_OVERFLOW = 666_003;
    /** Loading waits for {@link #release}, after signalling {@link #loading}. */
    static final long SLOW_LOAD = 666_004;
    /** As SLOW_LOAD, then throws OutOfMemoryError. */
    static final long SLOW_OUT_OF_MEMORY = 666_005;

    static volatile CountDownLatch loading = new CountDownLatch(1);
    static volatile CountDownLatch release = new CountDownLatch(1);

    private final EngineTrainerFactory engine = new EngineTrainerFactory();

    static void reset() {
        loading = new CountDownLatch(1);
        release = new CountDownLatch(1);
    }

    @Override
    public MmdGanTrainer create(RunSpec spec) {
        long seed = spec.training().seed();
        if (seed == SLOW_LOAD || seed == SLOW_OUT_OF_MEMORY) {
            loading.countDown();
            try {
                if (!release.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the load");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (seed == OUT_OF_MEMORY || seed == SLOW_OUT_OF_MEMORY) {
            throw new OutOfMemoryError("simulated: Java heap space");
        }
        if (seed == NO_CLASS_DEF) {
            throw new NoClassDefFoundError("simulated/MissingClass");
        }
        if (seed == STACK_OVERFLOW) {
            throw new StackOverflowError("simulated");
        }
        return engine.create(spec);
    }

    @Override
    public MmdGanTrainer restore(Path dir) {
        return engine.restore(dir);
    }
}
