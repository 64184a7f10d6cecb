package dev.mmdgan.service.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What identifies a service and bounds its API ({@code mmdgan.service.*}). */
@ConfigMapping(prefix = "mmdgan.service")
public interface ServiceConfig {

    /** The service's name, e.g. "trainer-service": the producer of its events and its default consumer group. */
    String name();

    /** Largest gRPC request accepted; larger ones get RESOURCE_EXHAUSTED with both sizes. */
    @WithDefault("4194304")
    int maxRequestBytes();
}
