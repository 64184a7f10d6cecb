package dev.mmdgan.service.health;

import dev.mmdgan.service.api.BearerTokenInterceptor;
import dev.mmdgan.service.events.KafkaAdmin;
import dev.mmdgan.service.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness (/q/health/ready): the Kafka broker and the object store both answer. It also says whether auth is on. */
@Readiness
@ApplicationScoped
public class BrokerAndStoreCheck implements HealthCheck {

    @Inject
    KafkaAdmin kafka;

    @Inject
    BlobStore store;

    @Inject
    BearerTokenInterceptor auth;

    @Override
    public HealthCheckResponse call() {
        boolean broker = kafka.reachable();
        boolean s3 = store.reachable();
        return HealthCheckResponse.named("kafka-and-store").status(broker && s3).withData("kafka", broker).withData("store", s3)
                .withData("auth", auth.enabled() ? "bearer token" : "open").build();
    }
}
