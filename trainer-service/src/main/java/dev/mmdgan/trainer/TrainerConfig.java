package dev.mmdgan.trainer;

import dev.mmdgan.engine.train.RunDefaults;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;

/**
 * The trainer's own settings ({@code mmdgan.trainer.*}, or the matching environment variables); the store, Kafka, auth
 * and service groups are service-common's.
 */
@ConfigMapping(prefix = "mmdgan.trainer")
public interface TrainerConfig {

    /** Local folder for runs' working checkpoints before upload, and for the event outbox. */
    @WithDefault("${java.io.tmpdir}/mmdgan-trainer")
    Path workDir();

    /** Runs that train at the same time; the others queue. */
    @WithDefault("1")
    int maxConcurrentRuns();

    /** Metrics every this many generator steps, unless a run's config says otherwise. */
    @WithDefault("" + RunDefaults.METRICS_EVERY)
    int metricsEvery();

    /**
     * Folders under which runs may read their data ({@code config.dataset.path}); paths elsewhere are refused
     * without saying whether they exist.
     */
    @WithDefault("/var/lib/mmdgan/data")
    List<Path> dataRoots();
}
