package dev.mmdgan.service.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** The broker and the topics of every service ({@code mmdgan.kafka.*}). Records are keyed by run id. */
@ConfigMapping(prefix = "mmdgan.kafka")
public interface KafkaConfig {

    String bootstrapServers();

    @WithDefault("mmdgan.checkpoints")
    String checkpointsTopic();

    @WithDefault("mmdgan.training-metrics")
    String metricsTopic();

    @WithDefault("mmdgan.run-states")
    String runStatesTopic();

    @WithDefault("mmdgan.lr-decisions")
    String decisionsTopic();

    @WithDefault("mmdgan.evaluations")
    String evaluationsTopic();

    /** Partitions of each topic a service creates. */
    @WithDefault("3")
    int partitions();

    /** Replication factor of the topics a service creates (1 for a single broker). */
    @WithDefault("1")
    short replicationFactor();

    /** The service's consumer group (default: the service's name). */
    Optional<String> groupId();

    /** Events held in memory while the broker is away; when full, new events are dropped and reported. */
    @WithDefault("100000")
    int bufferEvents();

    /**
     * Where events wait until the broker acknowledges them, and where consumers remember the event ids they saw,
     * so that nothing is lost or applied twice across a broker outage, a stop or a crash.
     */
    Path outboxDir();
}
