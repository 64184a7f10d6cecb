package dev.mmdgan.trainer;

import dev.mmdgan.trainer.api.BearerTokenInterceptor;
import dev.mmdgan.trainer.storage.CheckpointStore;
import dev.mmdgan.trainer.training.RunManager;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
    TrainerConfig config;

    @Inject
    CheckpointStore store;

    @Inject
    RunManager runs;

    @Inject
    BearerTokenInterceptor auth;

    /** One admin client for every probe: each new one would open connections and threads. */
    private Admin admin;

    @PostConstruct
    void init() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        admin = Admin.create(p);
    }

    void close(@Observes ShutdownEvent event) {
        admin.close(Duration.ofSeconds(2));
    }

    @Override
    public HealthCheckResponse call() {
        boolean kafka = kafkaReachable();
        boolean s3 = store.reachable();
        boolean recovered = runs.ready();
        return HealthCheckResponse.named("kafka-store-and-runs").status(kafka && s3 && recovered).withData("kafka", kafka)
                .withData("store", s3).withData("runs-recovered", recovered).withData("auth", auth.enabled() ? "bearer token" : "open")
                .build();
    }

    private boolean kafkaReachable() {
        try {
            admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
