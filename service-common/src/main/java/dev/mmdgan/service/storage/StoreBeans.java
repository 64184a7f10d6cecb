package dev.mmdgan.service.storage;

import dev.mmdgan.service.config.StoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The services' object store: MinIO's client on the configured endpoint and bucket, with the configured backoff. */
@ApplicationScoped
public class StoreBeans {

    @Produces
    @ApplicationScoped
    BlobStore blobStore(StoreConfig config) {
        return new MinioBlobStore(config);
    }

    @Produces
    @ApplicationScoped
    Retry retry(StoreConfig config) {
        return new Retry(config.retryDelay(), config.maxRetryDelay());
    }
}
