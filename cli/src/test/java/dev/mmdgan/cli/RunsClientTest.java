package dev.mmdgan.cli;

import static dev.mmdgan.cli.InMemoryTrainerFake.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.api.v1.RunState;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code mmdgan runs ...} in-process against {@link InMemoryTrainerFake} served over real gRPC on a loopback port. */
class RunsClientTest {

    /** The longest any one command may take here; the tests of deadlines ask for much less. */
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);
    private static final Pattern NEXT_PAGE_TOKEN = Pattern.compile("\"next_page_token\":\"([^\"]*)\"");

    private final ExecutorService commands = Executors.newCachedThreadPool();
    private InMemoryTrainerFake fake;
    private Server server;
    private String address;

    record Result(int exit, String out, String err, Duration took) {
    }

    @BeforeEach
    void startTrainer() throws IOException {
        fake = new InMemoryTrainerFake();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        server = NettyServerBuilder.forAddress(new InetSocketAddress(loopback, 0)).addService(fake.definition())
                // The CLI pings every 20 s; a grpc-java server refuses pings more frequent than 5 min by default.
                .permitKeepAliveTime(1, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true)
                .build().start();
        address = "127.0.0.1:" + server.getPort();
    }

    @AfterEach
    void stopTrainer() throws InterruptedException {
        server.shutdownNow();
        assertThat(server.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        commands.shutdownNow();
    }

    @Test
    @Timeout(60)
    void aCallPastItsDeadlineNamesTheAddressAndTheTimeout() throws Exception {
        fake.add(run(InMemoryTrainerFake.SLOW, RunState.RUN_STATE_RUNNING, 3, 20));
        Result r = runs("get", InMemoryTrainerFake.SLOW, "--timeout", "500ms");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("mmdgan runs get: the trainer at " + address + " did not answer within 500ms (--timeout)");
        assertThat(r.took()).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    @Timeout(60)
    void anUnreachableTrainerIsNamedWithTheWayToStartOrPointAtOne() throws Exception {
        String nobody = "127.0.0.1:" + freePort();
        Result r = mmdgan("runs", "list", "--trainer", nobody);
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("mmdgan runs list: no trainer service answers at " + nobody
                + " (start one, see README \"Trainer service\", or pass --trainer HOST:PORT / set MMDGAN_TRAINER)");
    }

    @Test
    @Timeout(60)
    void listFetchesEveryPage() throws Exception {
        List<String> ids = addRuns(5);
        fake.defaultPageSize = 2;
        Result text = runs("list");
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains(ids).contains("running");
        assertThat(text.out().lines()).hasSize(1 + 5);
        assertThat(fake.listCalls).hasValue(3);

        Result json = runs("list", "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(count(json.out(), "\"run_id\":")).isEqualTo(5);
        assertThat(json.out().strip()).startsWith("{\"runs\":[{\"run_id\":\"run-0\",\"state\":\"running\",\"step\":1,\"steps\":20,")
                .endsWith("],\"next_page_token\":\"\"}");
    }

    @Test
    @Timeout(60)
    void pageSizeFetchesOnePageAndItsToken() throws Exception {
        List<String> ids = addRuns(3);
        Result first = runs("list", "--page-size", "1", "--json");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(count(first.out(), "\"run_id\":")).isEqualTo(1);
        assertThat(first.out()).contains(ids.get(0));
        String token = nextPageToken(first.out());
        assertThat(token).isNotEmpty();

        Result second = runs("list", "--page-size", "1", "--page-token", token, "--json");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).contains(ids.get(1)).doesNotContain(ids.get(0));

        Result text = runs("list", "--page-size", "2");
        assertThat(text.out()).contains(ids.get(0), ids.get(1)).doesNotContain(ids.get(2));
        assertThat(text.err()).contains("more runs: --page-token ");
        assertThat(fake.listCalls).hasValue(3);
    }

    @Test
    @Timeout(60)
    void pageSizesOutside1To500AndBadDurationsAreUsageErrors() throws Exception {
        for (String size : new String[] {"0", "501", "-3"}) {
            Result r = runs("list", "--page-size", size);
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("mmdgan runs list: --page-size must be in 1..500, got " + size);
        }
        for (String[] args : List.of(new String[] {"list", "--timeout", "0s"}, new String[] {"list", "--timeout", "soon"},
                new String[] {"watch", "x", "--max-wait", "10"})) {
            Result r = runs(args[0], Arrays.copyOfRange(args, 1, args.length));
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("is not a positive duration such as 500ms, 30s, 2m or 1h");
        }
        assertThat(fake.listCalls).hasValue(0);
    }

    @Test
    @Timeout(60)
    void watchPrintsProgressThenTheFinalState() throws Exception {
        fake.add(run(InMemoryTrainerFake.COMPLETING, RunState.RUN_STATE_RUNNING, 0, 20));
        Result r = runs("watch", InMemoryTrainerFake.COMPLETING);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("step 10/20", "step 20/20");
        assertThat(r.out()).containsPattern("state +completed").containsPattern("step +20");
    }

    @Test
    @Timeout(60)
    void watchEndsWithAClearMessageWhenTheTrainerGoesAway() throws Exception {
        fake.add(run(InMemoryTrainerFake.DYING, RunState.RUN_STATE_RUNNING, 4, 20));
        Future<Result> watch = start("runs", "watch", InMemoryTrainerFake.DYING, "--trainer", address);
        assertThat(fake.streamStarted.await(20, TimeUnit.SECONDS)).as("the stream began").isTrue();
        long killedAt = System.nanoTime();
        server.shutdownNow();
        Result r = watch.get(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(10));
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("step 5/20")
                .containsPattern("(?m)^" + Pattern.quote("mmdgan runs watch: lost the trainer at " + address + " while watching run "
                        + InMemoryTrainerFake.DYING + " ("))
                .contains("'mmdgan runs get " + InMemoryTrainerFake.DYING + "'");
    }

    @Test
    @Timeout(60)
    void maxWaitEndsASilentWatchWithCode1AndWhereTheRunWas() throws Exception {
        fake.add(run(InMemoryTrainerFake.SILENT, RunState.RUN_STATE_RUNNING, 7, 20));
        Result r = runs("watch", InMemoryTrainerFake.SILENT, "--max-wait", "1s");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("mmdgan runs watch: stopped watching after 1s (--max-wait): run silent-run is running at step 7/20");
        assertThat(r.out()).containsPattern("state +running");
        assertThat(r.took()).isBetween(Duration.ofMillis(900), Duration.ofSeconds(8));
    }

    @Test
    @Timeout(60)
    void startSendsTheTokenAndTheTrainersErrorsKeepTheirFormat() throws Exception {
        Result started = runs("start", "--dataset", "moons", "--arch", "mlp-2d", "--steps", "20", "--batch", "32", "--n-critic", "1",
                "--checkpoint-every", "10", "--metrics-every", "2", "--json", "--token", "s3cret");
        assertThat(started.exit()).as(started.err()).isZero();
        assertThat(started.out()).containsPattern("\"run_id\":\"[0-9a-f-]{36}\"").contains("\"state\":\"queued\"", "\"steps\":20");
        assertThat(fake.lastAuthorization).isEqualTo("Bearer s3cret");

        Result bad = runs("start", "--dataset", "moons", "--arch", "dcgan-32", "--steps", "5");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("mmdgan runs start: trainer: INVALID_ARGUMENT: config.architecture.name: dcgan-32 "
                + "makes samples of shape [3, 32, 32] but data set moons has samples of shape [2]");
        for (String command : new String[] {"get", "watch"}) {
            Result missing = runs(command, "no-such-run");
            assertThat(missing.exit()).as(missing.err()).isEqualTo(2);
            assertThat(missing.err()).contains("trainer: NOT_FOUND: no run with id 'no-such-run'");
        }
    }

    /** {@code mmdgan runs COMMAND ARGS --trainer <the fake>}. */
    private Result runs(String command, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("runs", command, "--trainer", address));
        all.addAll(List.of(args));
        return mmdgan(all.toArray(String[]::new));
    }

    private Result mmdgan(String... args) throws Exception {
        return start(args).get(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Runs {@code mmdgan ARGS} in-process on another thread, as {@link CliTest} does, so that the test can bound it. */
    private Future<Result> start(String... args) {
        return commands.submit(() -> {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = MmdganCommand.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            long began = System.nanoTime();
            int exit = cli.execute(args);
            return new Result(exit, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - began));
        });
    }

    private List<String> addRuns(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fake.add(run("run-" + i, RunState.RUN_STATE_RUNNING, i + 1, 20));
            ids.add("run-" + i);
        }
        return ids;
    }

    private static String nextPageToken(String json) {
        Matcher m = NEXT_PAGE_TOKEN.matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return m.group(1);
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
