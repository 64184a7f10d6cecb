package dev.mmdgan.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One {@code ./mmdgan up} stack of this test: a state folder under {@code target/} and free ports for every component,
 * so that it meets neither a developer's running stack nor another module's test broker. The evaluator is configured
 * through the environment, as a user would, for small evaluations and a short decay window.
 */
final class LocalStack {

    static final List<String> COMPONENTS = List.of("kafka", "s3", "trainer", "evaluator", "sampler");

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path root;
    final Path state;
    final int trainerPort;
    final int samplerPort;
    final int evaluatorPort;
    private final Map<String, String> env = new HashMap<>();

    LocalStack(Path root, Path state) throws IOException {
        this.root = root;
        this.state = state;
        this.trainerPort = freePort();
        this.samplerPort = freePort();
        this.evaluatorPort = freePort();
        env.put("MMDGAN_STATE_DIR", state.toString());
        env.put("MMDGAN_NO_BUILD", "1"); // the reactor built every jar before this module
        env.put("MMDGAN_DEMO", "0"); // the test starts its own runs
        env.put("MMDGAN_TRAINER_PORT", String.valueOf(trainerPort));
        env.put("MMDGAN_SAMPLER_PORT", String.valueOf(samplerPort));
        env.put("MMDGAN_EVALUATOR_PORT", String.valueOf(evaluatorPort));
        env.put("MMDGAN_KAFKA_PORT", String.valueOf(freePort()));
        env.put("MMDGAN_KAFKA_CONTROLLER_PORT", String.valueOf(freePort()));
        env.put("MMDGAN_S3_PORT", String.valueOf(freePort()));
        env.put("MMDGAN_UP_TIMEOUT", "300");
        // Small evaluations, a window of 2 and no floor in sight: a plateau is decayed within a few checkpoints.
        env.putAll(Map.of("MMDGAN_EVALUATOR_SAMPLES", "400", "MMDGAN_EVALUATOR_REAL_SAMPLES", "1000",
                "MMDGAN_EVALUATOR_KID_SUBSETS", "10", "MMDGAN_EVALUATOR_KID_SUBSET_SIZE", "100",
                "MMDGAN_EVALUATOR_RELATIVE_SAMPLES", "200", "MMDGAN_EVALUATOR_DECAY_WINDOW", "2",
                "MMDGAN_EVALUATOR_DECAY_FLOOR", "1e-12"));
        // The addresses the examples read.
        env.put("MMDGAN_TRAINER", "127.0.0.1:" + trainerPort);
        env.put("MMDGAN_SAMPLER", "127.0.0.1:" + samplerPort);
        env.put("MMDGAN_EVALUATOR", "127.0.0.1:" + evaluatorPort);
    }

    Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** {@code ./mmdgan ARGS} in the repository root, as a user types it. */
    Shell.Result mmdgan(Duration deadline, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", "./mmdgan"));
        command.addAll(List.of(args));
        return Shell.run(root, env, deadline, command);
    }

    /** {@code ./mmdgan status --json}. */
    JsonNode status() {
        return json(mmdgan(Duration.ofSeconds(60), "status", "--json").ok("./mmdgan status --json").stdout());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** Component name → pid, for those that run. */
    Map<String, Long> pids() {
        Map<String, Long> pids = new HashMap<>();
        for (JsonNode c : status().path("components")) {
            if (c.path("pid").isNumber()) {
                pids.put(c.path("name").asText(), c.path("pid").asLong());
            }
        }
        return pids;
    }

    /** The last lines of every log under the state folder: what a failed step needs to be understood. */
    String logTails() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> logs = Files.walk(state, 3)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                b.append("\n==== ").append(state.relativize(log)).append(" (last 40 lines)\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> b.append(l).append('\n'));
            }
        } catch (IOException e) {
            b.append("(cannot read the logs: ").append(e.getMessage()).append(")");
        }
        return b.toString();
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
