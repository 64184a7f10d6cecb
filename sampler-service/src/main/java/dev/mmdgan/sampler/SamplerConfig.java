package dev.mmdgan.sampler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The sampler's own settings ({@code mmdgan.sampler.*}, or the matching environment variables); the store, Kafka,
 * auth and service groups are service-common's. Every default is here.
 */
@ConfigMapping(prefix = "mmdgan.sampler")
public interface SamplerConfig {

    /** Local folder for downloaded checkpoints (deleted once loaded) and the consumers' state. */
    @WithDefault("${java.io.tmpdir}/mmdgan-sampler")
    Path workDir();

    /**
     * This replica's id: its consumer group is the service name plus this id (unless mmdgan.kafka.group-id is set), so
     * that every replica sees every checkpoint event. Default: random per start.
     */
    Optional<String> instanceId();

    /** The run served when a request names none; unset = run_id is required. */
    Optional<String> defaultRun();

    /** Serving policy of runs without their own: latest, best or pinned:STEP. */
    @WithDefault("latest")
    String policy();

    /** Per-run policies as RUN=POLICY, e.g. "abc=best,def=pinned:400". */
    Optional<List<String>> runPolicies();

    /** Most samples one Generate or Interpolate call may ask for. */
    @WithDefault("1024")
    int maxSamples();

    /** Most samples one GenerateStream call may ask for. */
    @WithDefault("1000000")
    int maxStreamSamples();

    /** Largest response message: a request whose answer would be larger is refused up front (use GenerateStream). */
    @WithDefault("16777216")
    int maxResponseBytes();

    /** Samples waiting for the generator at most; beyond it requests get RESOURCE_EXHAUSTED. */
    @WithDefault("16384")
    int maxQueuedSamples();

    /** Models kept loaded, across runs and steps; the least recently used goes first. */
    @WithName("cache.max-models")
    @WithDefault("8")
    int cacheMaxModels();

    /** Bytes of generator weights kept loaded. */
    @WithName("cache.max-bytes")
    @WithDefault("1073741824")
    long cacheMaxBytes();

    /** Dynamic batching of concurrent requests into one generator call. */
    @WithName("batching.enabled")
    @WithDefault("true")
    boolean batchingEnabled();

    /** Rows of one batched generator call at most. */
    @WithName("batching.max-batch")
    @WithDefault("256")
    int batchingMaxBatch();

    /** How long a batch that is not full waits for more requests (0: take what is queued, wait for nothing). */
    @WithName("batching.max-delay")
    @WithDefault("PT0S")
    Duration batchingMaxDelay();

    /** Threads that run generator calls. */
    @WithName("batching.workers")
    @WithDefault("1")
    int batchingWorkers();

    /** Require the bearer token (mmdgan.auth.token) on every call, reads included. */
    @WithDefault("false")
    boolean requireTokenForReads();

    /** Topic of the sampler's ServedModelChanged events. */
    @WithDefault("mmdgan.sampler-models")
    String eventsTopic();

    /** Runs whose newest model is loaded at start (most recently written first), so a restart serves at once. */
    @WithDefault("8")
    int preloadRuns();
}
