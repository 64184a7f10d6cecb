package dev.mmdgan.trainer;

import dev.mmdgan.trainer.api.BearerTokenInterceptor;
import dev.mmdgan.trainer.events.KafkaAdmin;
import dev.mmdgan.trainer.storage.CheckpointStore;
import dev.mmdgan.trainer.training.RunManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness (/q/health/ready): the Kafka broker and the object store both answer, and the runs of the previous
 * instance are back. The report also says whether mutating calls need a bearer token.
 */
@Readiness
@ApplicationScoped
public class ConnectivityCheck implements HealthCheck {

    @Inject
    CheckpointStore store;

    @Inject
    RunManager runs;

    @Inject
    BearerTokenInterceptor auth;

    @Inject
    KafkaAdmin kafkaAdmin;

    @Override
    public HealthCheckResponse call() {
        boolean kafka = kafkaAdmin.reachable();
        boolean s3 = store.reachable();
        boolean recovered = runs.ready();
        return HealthCheckResponse.named("kafka-store-and-runs").status(kafka && s3 && recovered).withData("kafka", kafka)
                .withData("store", s3).withData("runs-recovered", recovered).withData("auth", auth.enabled() ? "bearer token" : "open")
                .build();
    }
}
