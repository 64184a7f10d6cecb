package dev.mmdgan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The launcher's bookkeeping ({@code ./mmdgan status --json}, {@code down}, the port check of {@code up}) in a state
 * folder of its own, without starting a service: fast, and safe next to a running stack.
 */
class LauncherTest {

    private static final String BASH_HINT = "bash is needed to run ./mmdgan";

    @TempDir
    Path state;

    /** A state folder and ports of this test only: free ports, so that nothing here meets a running stack. */
    private Map<String, String> env() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("MMDGAN_STATE_DIR", state.toString());
        env.put("MMDGAN_NO_BUILD", "1");
        env.put("MMDGAN_DEMO", "0");
        env.put("MMDGAN_KAFKA_PORT", String.valueOf(freePort()));
        env.put("MMDGAN_S3_PORT", String.valueOf(freePort()));
        env.put("MMDGAN_HTTP_PORT", String.valueOf(freePort()));
        return env;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Tools.Result mmdgan(Map<String, String> env, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "bash";
        command[1] = "./mmdgan";
        System.arraycopy(args, 0, command, 2, args.length);
        return Tools.run(Tools.repositoryRoot(), env, BASH_HINT, command);
    }

    @Test
    void statusJsonListsEveryComponentWhenNothingRuns() throws IOException {
        Map<String, String> env = env();
        Tools.Result r = mmdgan(env, "status", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode status = JsonMapper.builder().build().readTree(r.stdout());
        assertThat(status.path("components").valueStream().map(c -> c.path("name").asString()).toList())
                .containsExactly("kafka", "s3", "trainer", "evaluator", "sampler");
        for (JsonNode c : status.path("components")) {
            assertThat(c.path("state").asString()).isIn("stopped", "not-implemented");
            assertThat(c.path("pid").isNull()).isTrue();
            assertThat(c.path("address").asString()).startsWith("127.0.0.1:");
        }
        assertThat(status.path("components").get(2).path("address").asString())
                .isEqualTo("127.0.0.1:" + env.get("MMDGAN_HTTP_PORT"));
        assertThat(status.path("runs").isArray()).isTrue();
        assertThat(status.path("runs").size()).isZero();
    }

    @Test
    void downEndsOnlyTheProcessesUpRecorded() throws Exception {
        // A process that up did not start, its pid planted in every pid file: down must leave it alone.
        Process stranger = new ProcessBuilder("sleep", "300").start();
        try {
            String pid = String.valueOf(stranger.pid());
            Files.createDirectories(state.resolve("infra"));
            for (Path file : List.of(state.resolve("trainer.pid"), state.resolve("sampler.pid"),
                    state.resolve("evaluator.pid"), state.resolve("infra/kafka.pid"), state.resolve("infra/s3.pid"))) {
                Files.writeString(file, pid);
            }
            Tools.Result r = mmdgan(env(), "down");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(stranger.isAlive()).isTrue();
            assertThat(r.stdout()).contains("kafka not running", "s3 not running").doesNotContain("stopped (pid");
            assertThat(state.resolve("trainer.pid")).doesNotExist();
        } finally {
            stranger.destroy();
            stranger.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void upRefusesAPortInUseNamingThePortAndItsVariable() throws IOException {
        Map<String, String> env = env();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            env.put("MMDGAN_TRAINER_PORT", String.valueOf(taken.getLocalPort()));
            Tools.Result r = mmdgan(env, "up");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr()).contains("port " + taken.getLocalPort() + " (trainer) is in use")
                    .contains("set MMDGAN_TRAINER_PORT");
        }
        // Refused before anything started.
        assertThat(state.resolve("infra/kafka.pid")).doesNotExist();
        assertThat(state.resolve("trainer.pid")).doesNotExist();
    }

    @Test
    void logsNamesTheComponentsItKnows() throws IOException {
        Tools.Result r = mmdgan(env(), "logs", "nosuch");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("kafka, s3, trainer, evaluator, sampler");
    }
}
