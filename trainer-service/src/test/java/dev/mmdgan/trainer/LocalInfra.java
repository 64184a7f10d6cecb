package dev.mmdgan.trainer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real Kafka broker and S3 server of {@code ./mmdgan infra}, started for the tests on their own ports and
 * state folder (target/infra), so they neither clash with a developer's running infra nor mock anything.
 */
public class LocalInfra implements QuarkusTestResourceLifecycleManager {

    static final int KAFKA_PORT = 19092;
    static final int S3_PORT = 19000;
    static final String ACCESS_KEY = "mmdgan-test";
    static final String SECRET_KEY = "mmdgan-test-secret";

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path STATE = Path.of(System.getProperty("user.dir"), "target", "infra");

    @Override
    public Map<String, String> start() {
        infra("start");
        return Map.of("mmdgan.store.endpoint", "http://127.0.0.1:" + S3_PORT, "mmdgan.store.access-key", ACCESS_KEY,
                "mmdgan.store.secret-key", SECRET_KEY, "mmdgan.kafka.bootstrap-servers", "127.0.0.1:" + KAFKA_PORT,
                "mmdgan.trainer.work-dir", STATE.resolve("work").toString());
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
