package dev.mmdgan.trainer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real Kafka broker and S3 server of {@code ./mmdgan infra}, started for the tests on their own ports and
 * state folder (target/infra), so they neither clash with a developer's running infra nor mock anything.
 *
 * <p>Each test class names its own namespace ({@code @ResourceArg(name = "namespace", value = …)}) and gets a
 * bucket, topics, consumer group and work folder of its own, with a random suffix: no run, checkpoint or event of
 * one class (or of an earlier build) can reach another.
 */
public class LocalInfra implements QuarkusTestResourceLifecycleManager {

    /** The init argument that names a test class's namespace. */
    public static final String NAMESPACE = "namespace";

    static final int KAFKA_PORT = 19092;
    static final int S3_PORT = 19000;
    static final String ACCESS_KEY = "mmdgan-test";
    static final String SECRET_KEY = "mmdgan-test-secret";

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path STATE = Path.of(System.getProperty("user.dir"), "target", "infra");

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

    /** Settings that give a service its own bucket, topics, consumer group, work folder and data root. */
    static Map<String, String> isolated(String namespace) {
        String unique = namespace + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = new java.util.HashMap<>(Map.of("mmdgan.store.endpoint", "http://127.0.0.1:" + S3_PORT,
                "mmdgan.store.access-key", ACCESS_KEY, "mmdgan.store.secret-key", SECRET_KEY,
                "mmdgan.kafka.bootstrap-servers", "127.0.0.1:" + KAFKA_PORT, "mmdgan.store.bucket", "test-" + unique,
                "mmdgan.trainer.work-dir", STATE.resolve("work-" + unique).toString(),
                "mmdgan.trainer.data-roots", dataRoot().toString(), "mmdgan.kafka.group-id", "trainer-" + unique));
        for (String topic : List.of("checkpoints", "metrics", "run-states", "decisions", "evaluations")) {
            settings.put("mmdgan.kafka." + topic + "-topic", unique + "." + topic);
        }
        return settings;
    }

    /** The folder the tests' trainers may read data from (their data root). */
    static Path dataRoot() {
        Path root = STATE.resolve("data");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return root;
    }

    @Override
    public void stop() {
        infra("stop");
    }

    /** Runs {@code ./mmdgan infra COMMAND [SERVICE]} with the test ports; fails the tests if it fails. */
    static void infra(String command, String... service) {
        try {
            Files.createDirectories(STATE);
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(ROOT.resolve("mmdgan").toString(), "infra", command));
            args.addAll(java.util.List.of(service));
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
}
