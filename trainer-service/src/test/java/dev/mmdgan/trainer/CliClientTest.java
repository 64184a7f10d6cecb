package dev.mmdgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.cli.MmdganCommand;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** {@code mmdgan runs ...} against this service over real gRPC, as a user types it. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true)
class CliClientTest {

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int port;

    record Result(int exit, String out, String err) {
    }

    private Result mmdgan(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = MmdganCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, 2);
        full[2] = "--trainer";
        full[3] = "127.0.0.1:" + port;
        System.arraycopy(args, 2, full, 4, args.length - 2);
        return new Result(cli.execute(full), out.toString(), err.toString());
    }

    @Test
    void startWatchGetListAndErrors() {
        Result start = mmdgan("runs", "start", "--dataset", "moons", "--arch", "mlp-2d", "--steps", "20", "--batch", "32",
                "--n-critic", "1", "--checkpoint-every", "10", "--metrics-every", "2", "--json");
        assertThat(start.exit()).as(start.err()).isZero();
        Matcher id = Pattern.compile("\"run_id\":\"([0-9a-f-]{36})\"").matcher(start.out());
        assertThat(id.find()).as(start.out()).isTrue();
        String runId = id.group(1);

        Result watch = mmdgan("runs", "watch", runId);
        assertThat(watch.exit()).as(watch.err()).isZero();
        assertThat(watch.err()).contains("step 20/20");
        assertThat(watch.out()).contains("completed");

        Result get = mmdgan("runs", "get", runId, "--json");
        assertThat(get.out()).contains("\"state\":\"completed\"", "\"step\":20", "checkpoints/20/");
        assertThat(mmdgan("runs", "list").out()).contains(runId, "completed");

        Result bad = mmdgan("runs", "start", "--dataset", "moons", "--arch", "dcgan-32", "--steps", "5");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("mmdgan runs start: trainer: INVALID_ARGUMENT: config.architecture.name: dcgan-32 "
                + "makes samples of shape [3, 32, 32] but data set moons has samples of shape [2]");
        Result missing = mmdgan("runs", "get", "no-such-run");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("NOT_FOUND: no run with id 'no-such-run'");
    }
}
