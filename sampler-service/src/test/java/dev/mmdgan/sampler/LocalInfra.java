package dev.mmdgan.sampler;

import dev.mmdgan.service.config.StoreConfig;
import dev.mmdgan.service.storage.CheckpointStore;
import dev.mmdgan.service.storage.MinioBlobStore;
import dev.mmdgan.service.storage.Retry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The shared {@link dev.mmdgan.service.testing.LocalInfra} with the sampler's keys: a work folder, its own events
 * topic, run {@value #BEST_RUN} served by the {@code best} policy, and run {@value #PRELOADED_RUN} already in the store
 * before the service starts (so a test can see that a starting sampler loads it).
 */
public class LocalInfra extends dev.mmdgan.service.testing.LocalInfra {

    public static final String BEST_RUN = "best-run";
    public static final String PRELOADED_RUN = "preloaded";
    /** The step of {@link #PRELOADED_RUN}'s only checkpoint. */
    public static final int PRELOADED_STEP = 3;

    @Override
    public Map<String, String> start() {
        Map<String, String> settings = super.start();
        try {
            store(settings).upload(PRELOADED_RUN, PRELOADED_STEP, TestCheckpoints.moons(PRELOADED_STEP), () -> true, e -> { });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return settings;
    }

    @Override
    protected Map<String, String> serviceSettings(String unique, Path workDir) {
        Map<String, String> s = new HashMap<>();
        s.put("mmdgan.sampler.work-dir", workDir.toString());
        s.put("mmdgan.kafka.outbox-dir", workDir.resolve("outbox").toString());
        s.put("mmdgan.sampler.events-topic", unique + ".sampler-models");
        s.put("mmdgan.sampler.run-policies", BEST_RUN + "=best");
        return s;
    }

    /** A checkpoint store on the namespace's bucket, outside the service. */
    static CheckpointStore store(Map<String, String> settings) {
        StoreConfig config = new StoreConfig() {
            public String endpoint() {
                return settings.get("mmdgan.store.endpoint");
            }

            public String accessKey() {
                return settings.get("mmdgan.store.access-key");
            }

            public String secretKey() {
                return settings.get("mmdgan.store.secret-key");
            }

            public String bucket() {
                return settings.get("mmdgan.store.bucket");
            }

            public Duration retryDelay() {
                return Duration.ofMillis(200);
            }

            public Duration maxRetryDelay() {
                return Duration.ofSeconds(1);
            }
        };
        return new CheckpointStore(new MinioBlobStore(config), new Retry(Duration.ofMillis(200), Duration.ofSeconds(1)));
    }
}
