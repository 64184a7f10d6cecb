package dev.mmdgan.trainer;

import dev.mmdgan.trainer.storage.CheckpointStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness (/q/health/ready): the Kafka broker and the object store both answer. */
@Readiness
@ApplicationScoped
public class ConnectivityCheck implements HealthCheck {

    @Inject
    TrainerConfig config;

    @Inject
    CheckpointStore store;

    @Override
    public HealthCheckResponse call() {
        boolean kafka = kafkaReachable();
        boolean s3 = store.reachable();
        return HealthCheckResponse.named("kafka-and-store").status(kafka && s3).withData("kafka", kafka).withData("store", s3).build();
    }

    private boolean kafkaReachable() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
