package dev.mmdgan.service.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The S3-compatible object store ({@code mmdgan.store.*}; MinIO in deployments, S3Proxy locally). */
@ConfigMapping(prefix = "mmdgan.store")
public interface StoreConfig {

    String endpoint();

    String accessKey();

    String secretKey();

    @WithDefault("mmdgan")
    String bucket();

    /** First delay between attempts while the store is away; it doubles up to {@link #maxRetryDelay()}. */
    @WithDefault("PT0.5S")
    Duration retryDelay();

    @WithDefault("PT30S")
    Duration maxRetryDelay();
}
