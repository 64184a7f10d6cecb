package dev.mmdgan.trainer;

import dev.mmdgan.engine.train.RunDefaults;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The trainer's settings ({@code mmdgan.*} in application.properties, or the matching environment variables). */
@ConfigMapping(prefix = "mmdgan")
public interface TrainerConfig {

    Store store();

    Kafka kafka();

    Trainer trainer();

    Auth auth();

    /** The S3-compatible object store that holds checkpoints (MinIO in deployments, S3Proxy locally). */
    interface Store {
        String endpoint();

        String accessKey();

        String secretKey();

        @WithDefault("mmdgan")
        String bucket();

        /** First delay between upload attempts; it doubles up to {@link #maxRetryDelay()}. */
        @WithDefault("PT0.5S")
        Duration retryDelay();

        @WithDefault("PT30S")
        Duration maxRetryDelay();
    }

    interface Kafka {
        String bootstrapServers();

        @WithDefault("mmdgan.checkpoints")
        String checkpointsTopic();

        @WithDefault("mmdgan.training-metrics")
        String metricsTopic();

        @WithDefault("mmdgan.run-states")
        String runStatesTopic();

        @WithDefault("mmdgan.lr-decisions")
        String decisionsTopic();

        /** Partitions of each topic the trainer creates (records are keyed by run id). */
        @WithDefault("3")
        int partitions();

        /** Replication factor of the topics the trainer creates (1 for a single broker). */
        @WithDefault("1")
        short replicationFactor();

        /** Consumer group of the trainer's decision listener. */
        @WithDefault("mmdgan-trainer")
        String groupId();

        /**
         * Where events wait until the broker acknowledges them (default: {@code outbox} in the work folder), so that
         * none is lost across a broker outage, a stop or a crash.
         */
        Optional<Path> outboxDir();

        /** Events held while the broker is away; when full, new events are dropped and reported. */
        @WithDefault("100000")
        int bufferEvents();
    }

    interface Trainer {
        /** Local folder for runs' working checkpoints before upload. */
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

    interface Auth {
        /** Bearer token required on mutating calls (StartRun, StopRun, ResumeRun); none = open. */
        Optional<String> token();
    }
}
