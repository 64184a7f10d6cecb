package dev.mmdgan.service.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real Kafka broker and S3 server of {@code ./mmdgan infra}, started for a service's tests on their own ports and
 * state folder (the module's target/infra), so they neither clash with a developer's running infra nor mock anything.
 *
 * <p>Each test class names its own namespace ({@code @ResourceArg(name = "namespace", value = …)}) and gets a
 * bucket, topics, consumer group, outbox and work folder of its own, with a random suffix: no run, checkpoint or event
 * of one class (or of an earlier build) can reach another. A service adds its own keys by overriding
 * {@link #serviceSettings}.
 *
 * <p>The ports are 19092 (Kafka) and 19000 (S3) unless {@code MMDGAN_TEST_KAFKA_PORT} / {@code MMDGAN_TEST_S3_PORT}
 * say otherwise, so that two checkouts can run their tests side by side.
 */
public class LocalInfra implements QuarkusTestResourceLifecycleManager {

    /** The init argument that names a test class's namespace. */
    public static final String NAMESPACE = "namespace";

    public static final int KAFKA_PORT = port("MMDGAN_TEST_KAFKA_PORT", 19092);
    public static final int S3_PORT = port("MMDGAN_TEST_S3_PORT", 19000);
    public static final String ACCESS_KEY = "mmdgan-test";
    public static final String SECRET_KEY = "mmdgan-test-secret";
    /** The topic keys of {@code mmdgan.kafka.*-topic}. */
    public static final List<String> TOPICS = List.of("checkpoints", "metrics", "run-states", "decisions", "evaluations");

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    /** The module's test state: infra data and logs, and each namespace's work folders. */
    public static final Path STATE = Path.of(System.getProperty("user.dir"), "target", "infra");

    private String namespace = "default";

    @Override
    public void init(Map<String, String> initArgs) {
        namespace = initArgs.getOrDefault(NAMESPACE, namespace);
    }

    @Override
    public Map<String, String> start() {
        infra("start");
        return isolated(namespace);
    }

    @Override
    public void stop() {
        infra("stop");
    }

    /** Settings that give a service its own bucket, topics, consumer group, outbox and work folder. */
    public Map<String, String> isolated(String namespace) {
        String unique = namespace + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path work = STATE.resolve("work-" + unique);
        Map<String, String> settings = new HashMap<>(sharedSettings(unique));
        settings.put("mmdgan.kafka.outbox-dir", work.resolve("outbox").toString());
        settings.putAll(serviceSettings(unique, work));
        return settings;
    }

    /** Store, broker, bucket, topics and consumer group of one namespace: what every service needs. */
    public static Map<String, String> sharedSettings(String unique) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "mmdgan.store.endpoint", "http://127.0.0.1:" + S3_PORT,
                "mmdgan.store.access-key", ACCESS_KEY, "mmdgan.store.secret-key", SECRET_KEY,
                "mmdgan.kafka.bootstrap-servers", "127.0.0.1:" + KAFKA_PORT,
                "mmdgan.store.bucket", "test-" + unique,
                "mmdgan.kafka.group-id", "group-" + unique));
        for (String topic : TOPICS) {
            settings.put("mmdgan.kafka." + topic + "-topic", unique + "." + topic);
        }
        return settings;
    }

    /** A service's own keys for one namespace (its work folder, data roots, ...); none by default. */
    protected Map<String, String> serviceSettings(String unique, Path workDir) {
        return Map.of();
    }

    /** Runs {@code ./mmdgan infra COMMAND [SERVICE]} with the test ports; fails the tests if it fails. */
    public static void infra(String command, String... service) {
        try {
            Files.createDirectories(STATE);
            List<String> args = new ArrayList<>(List.of(ROOT.resolve("mmdgan").toString(), "infra", command));
            args.addAll(List.of(service));
            ProcessBuilder pb = new ProcessBuilder(args)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(STATE.resolve("infra.log").toFile()));
            Map<String, String> env = pb.environment();
            env.put("MMDGAN_INFRA_DIR", STATE.toString());
            env.put("MMDGAN_KAFKA_PORT", Integer.toString(KAFKA_PORT));
            env.put("MMDGAN_KAFKA_CONTROLLER_PORT", Integer.toString(KAFKA_PORT + 1));
            env.put("MMDGAN_S3_PORT", Integer.toString(S3_PORT));
            env.put("MMDGAN_S3_ACCESS_KEY", ACCESS_KEY);
            env.put("MMDGAN_S3_SECRET_KEY", SECRET_KEY);
            int rc = pb.start().waitFor();
            if (rc != 0) {
                throw new IllegalStateException("./mmdgan infra " + command + " failed (" + rc + "); see "
                        + STATE.resolve("infra.log") + " and the service logs beside it");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
