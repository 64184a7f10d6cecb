package dev.mmdgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.cli.MmdganCommand;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code mmdgan runs ...} against this service over real gRPC, as a user types it. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "cli"))
class CliClientTest {

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int port;

    record Result(int exit, String out, String err) {
    }

    /** Runs {@code mmdgan ARGS} in its own JVM (the CLI's main class on this test's class path), as a user would. */
    private Result mmdgan(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MmdganCommand.class.getName(), args[0], args[1],
                "--trainer", "127.0.0.1:" + port));
        command.addAll(List.of(args).subList(2, args.length));
        Path out = Files.createTempFile("mmdgan-out", ".txt");
        Path err = Files.createTempFile("mmdgan-err", ".txt");
        int exit = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start().waitFor();
        return new Result(exit, Files.readString(out), Files.readString(err));
    }

    @BeforeEach
    void ready() throws InterruptedException {
        TrainerCalls.awaitReady(port);
    }

    @Test
    void startWatchGetListAndErrors() throws Exception {
        Result start = mmdgan("runs", "start", "--dataset", "moons", "--arch", "mlp-2d", "--steps", "20", "--batch", "32",
                "--n-critic", "1", "--checkpoint-every", "10", "--metrics-every", "2", "--json");
        assertThat(start.exit()).as(start.err()).isZero();
        Matcher id = Pattern.compile("\"run_id\":\"([0-9a-f-]{36})\"").matcher(start.out());
        assertThat(id.find()).as(start.out()).isTrue();
        String runId = id.group(1);

        Result watch = mmdgan("runs", "watch", runId);
        assertThat(watch.exit()).as(watch.err()).isZero();
        assertThat(watch.err()).contains("step 20/20");
        assertThat(watch.out()).as("out: %s%nerr: %s", watch.out(), watch.err()).contains("completed");

        Result get = mmdgan("runs", "get", runId, "--json");
        assertThat(get.exit()).as(get.err()).isZero();
        assertThat(get.out()).as("out: %s%nerr: %s", get.out(), get.err()).contains("\"state\":\"completed\"", "\"step\":20", "checkpoints/20/");
        Result list = mmdgan("runs", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains(runId, "completed");

        Result bad = mmdgan("runs", "start", "--dataset", "moons", "--arch", "dcgan-32", "--steps", "5");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("mmdgan runs start: trainer: INVALID_ARGUMENT: config.architecture.name: dcgan-32 "
                + "makes samples of shape [3, 32, 32] but data set moons has samples of shape [2]");
        Result missing = mmdgan("runs", "get", "no-such-run");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("NOT_FOUND: no run with id 'no-such-run'");
    }
}
