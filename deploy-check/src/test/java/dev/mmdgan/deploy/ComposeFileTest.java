package dev.mmdgan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * docker-compose.yml as {@code docker-compose config} reads it with .env.example (no daemon needed), plus the
 * Dockerfiles it builds from.
 */
class ComposeFileTest {

    static final String COMPOSE_HINT = "apt-get install docker-compose (Debian's docker-compose parses a compose file "
            + "without a Docker daemon)";
    private static final List<String> SERVICES = List.of("trainer", "sampler", "evaluator");

    private static JsonNode parsed;

    /** The compose file as docker-compose resolves it (read once: each docker-compose start takes seconds). */
    private static synchronized JsonNode config() {
        if (parsed != null) {
            return parsed;
        }
        Path root = Tools.repositoryRoot();
        Tools.check(root, COMPOSE_HINT, "docker-compose", "--env-file", ".env.example", "-f", "docker-compose.yml",
                "config", "-q");
        String yaml = Tools.check(root, COMPOSE_HINT, "docker-compose", "--env-file", ".env.example", "-f",
                "docker-compose.yml", "config");
        parsed = YAMLMapper.builder().build().readTree(yaml);
        return parsed;
    }

    @Test
    void parsesWithTheExampleEnvironmentAndHasEveryComponent() {
        JsonNode services = config().path("services");
        assertThat(services.propertyNames()).containsExactlyInAnyOrder("kafka", "minio", "bucket-init", "trainer",
                "trainer-gpu", "sampler", "evaluator");
        assertThat(services.path("kafka").path("image").asString()).startsWith("apache/kafka:");
        assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asString())
                .isEqualTo("broker,controller");
        assertThat(services.path("minio").path("image").asString()).startsWith("minio/minio:");
        assertThat(services.path("bucket-init").path("depends_on").path("minio").path("condition").asString())
                .isEqualTo("service_healthy");
        for (String s : List.of("kafka", "minio")) {
            assertThat(services.path(s).path("healthcheck").path("test").isMissingNode()).as(s + " health check").isFalse();
            assertThat(services.path(s).path("volumes").size()).as(s + " volume").isPositive();
        }
    }

    @Test
    void servicesAreBuiltFromTheirDockerfilesAndWaitForBrokerAndBucket() {
        JsonNode services = config().path("services");
        for (String s : SERVICES) {
            JsonNode svc = services.path(s);
            String module = s + "-service";
            assertThat(svc.path("build").path("dockerfile").asString()).as(s).isEqualTo("src/main/docker/Dockerfile.jvm");
            assertThat(svc.path("build").path("context").asString()).as(s).endsWith("/" + module);
            assertThat(svc.path("depends_on").path("kafka").path("condition").asString()).isEqualTo("service_healthy");
            assertThat(svc.path("depends_on").path("bucket-init").path("condition").asString())
                    .isEqualTo("service_completed_successfully");
            assertThat(svc.path("environment").path("MMDGAN_KAFKA_BOOTSTRAP").asString()).isEqualTo("kafka:9092");
            assertThat(svc.path("environment").path("MMDGAN_S3_ENDPOINT").asString()).isEqualTo("http://minio:9000");
            assertThat(svc.path("volumes").size()).as(s + " work volume").isPositive();
            // Published on loopback only by default.
            assertThat(svc.path("ports").get(0).asString()).as(s).startsWith("127.0.0.1:");
        }
        assertThat(services.path("trainer").path("profiles").get(0).asString()).isEqualTo("cpu");
        JsonNode gpu = services.path("trainer-gpu");
        assertThat(gpu.path("profiles").get(0).asString()).isEqualTo("gpu");
        assertThat(gpu.path("build").path("dockerfile").asString()).isEqualTo("src/main/docker/Dockerfile.cuda");
        JsonNode device = gpu.path("deploy").path("resources").path("reservations").path("devices").get(0);
        assertThat(device.path("driver").asString()).isEqualTo("nvidia");
        assertThat(device.path("capabilities").get(0).asString()).isEqualTo("gpu");
    }

    @Test
    void withoutAnEnvironmentFileComposeRefusesToStartInsteadOfUsingACommittedSecret(@TempDir Path tmp)
            throws IOException {
        Path empty = Files.writeString(tmp.resolve("empty.env"), "# nothing set\n");
        Tools.Result r = Tools.run(Tools.repositoryRoot(), COMPOSE_HINT, "docker-compose", "--env-file",
                empty.toString(), "-f", "docker-compose.yml", "config", "-q");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("set MMDGAN_S3_ACCESS_KEY in .env");
    }

    @Test
    void theExampleEnvironmentHoldsPlaceholdersOnly() throws IOException {
        Properties env = new Properties();
        try (var in = Files.newBufferedReader(Tools.repositoryRoot().resolve(".env.example"))) {
            env.load(in);
        }
        assertThat(env.getProperty("MMDGAN_S3_SECRET_KEY")).startsWith("change-me");
        assertThat(env.getProperty("MMDGAN_AUTH_TOKEN")).startsWith("change-me");
        assertThat(env.getProperty("COMPOSE_PROFILES")).isEqualTo("cpu");
        assertThat(Files.readAllLines(Tools.repositoryRoot().resolve(".gitignore"))).contains(".env");
        // The compose file itself takes every credential from the environment.
        String compose = Files.readString(Tools.repositoryRoot().resolve("docker-compose.yml"));
        assertThat(Pattern.compile("(SECRET_KEY|PASSWORD|TOKEN):\\s+(?!\\$\\{)\\S").matcher(compose).find())
                .as("a literal credential in docker-compose.yml").isFalse();
    }

    @Test
    void dockerfilesRunAsNonRootAndReportReadiness() throws IOException {
        Path root = Tools.repositoryRoot();
        for (String module : List.of("trainer-service", "sampler-service", "evaluator-service")) {
            for (String name : module.equals("trainer-service") ? List.of("Dockerfile.jvm", "Dockerfile.cuda")
                    : List.of("Dockerfile.jvm")) {
                Path file = root.resolve(module).resolve("src/main/docker").resolve(name);
                String text = Files.readString(file);
                assertThat(text).as(file.toString()).containsPattern("(?m)^USER [1-9][0-9]*$");
                assertThat(text).as(file.toString()).contains("/q/health/ready");
                assertThat(text).as(file.toString()).contains("COPY --chown=10001:0 target/quarkus-app/lib/ /deployments/lib/");
                assertThat(text).as(file.toString()).contains("MMDGAN_HTTP_HOST=0.0.0.0");
            }
        }
    }
}
