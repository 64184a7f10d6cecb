package dev.mmdgan.service.events;

import dev.mmdgan.service.config.KafkaConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.jboss.logging.Logger;

/**
 * One Kafka admin client for the service: it creates the platform's topics at start (keyed by run id, with
 * {@code mmdgan.kafka.partitions} partitions, so that consumers can spread runs over a group), and answers the
 * readiness probe.
 */
@ApplicationScoped
@Startup
public class KafkaAdmin {

    private static final Logger LOG = Logger.getLogger(KafkaAdmin.class);

    @Inject
    KafkaConfig kafka;

    private Admin admin;
    private boolean topicsChecked;

    @PostConstruct
    void init() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        admin = Admin.create(p);
        ensureTopics();
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(2));
    }

    /**
     * Creates the topics that do not exist yet (once; consumers call it before they subscribe, so that they do not
     * warn about missing topics). With the broker away, it leaves that to the broker's auto-creation.
     */
    public synchronized void ensureTopics() {
        if (topicsChecked) {
            return;
        }
        topicsChecked = true;
        var k = kafka;
        List<String> names = List.of(k.checkpointsTopic(), k.metricsTopic(), k.runStatesTopic(), k.decisionsTopic(),
                k.evaluationsTopic());
        try {
            Set<String> existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, k.partitions(), k.replicationFactor())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(5, TimeUnit.SECONDS);
                LOG.infof("created topics %s", missing.stream().map(NewTopic::name).toList());
            }
        } catch (Exception e) {
            LOG.warnf("could not create the topics now (%s); they are created when first used", e.toString());
        }
    }

    /** Whether the broker answers within two seconds. */
    public boolean reachable() {
        try {
            admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
