package dev.mmdgan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mmdgan.api.v1.DecisionKind;
import dev.mmdgan.api.v1.Evaluation;
import dev.mmdgan.api.v1.EvaluatorServiceGrpc;
import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.ListEvaluationsRequest;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The product from {@code ./mmdgan up} to {@code ./mmdgan down}, as a user drives it: the CLI and the published gRPC
 * API against the three packaged services, the real Kafka broker and the real S3 server that {@code up} starts.
 *
 * <ol>
 * <li>a small Fashion-MNIST feature network is built with {@code ./mmdgan features train} into the evaluator's folder
 * (the full one takes minutes; {@code up} builds that one);</li>
 * <li>{@code up} starts everything and returns; a second {@code up} starts nothing new;</li>
 * <li>a dcgan-28 run whose learning rate is too small to change anything (a plateau) reaches a checkpoint;</li>
 * <li>the sampler serves a PNG grid of it ({@code ./mmdgan sample --remote});</li>
 * <li>the evaluator publishes KID for it, and the third failed relative test in a row is a DECAY, which the trainer
 * applies once per decision id (its learning rate falls by the factor each time);</li>
 * <li>the Java and the Python client examples each start a run, wait for its first KID and fetch a PNG;</li>
 * <li>{@code down} ends every process {@code up} started: none is left, no port still listens.</li>
 * </ol>
 * A failure prints the last lines of every component's log.
 */
class ProductEndToEndIT {

    private static final Duration CLI = Duration.ofMinutes(3);
    private static final double PLATEAU_LR = 1e-9;
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    private LocalStack stack;
    private Path out;
    private final long started = System.nanoTime();
    private final List<ManagedChannel> channels = new ArrayList<>();
    /** The trainer's stub, on one channel for the whole test. */
    private TrainerServiceGrpc.TrainerServiceBlockingStub trainer;

    @BeforeEach
    void freshStateFolder() throws IOException {
        Path module = Path.of("").toAbsolutePath();
        Path state = module.resolve("target/e2e-stack");
        deleteRecursively(state);
        out = Files.createDirectories(module.resolve("target/e2e-output"));
        stack = new LocalStack(module.getParent(), state);
    }

    @AfterEach
    void downWhateverHappened() {
        channels.forEach(ManagedChannel::shutdownNow);
        stack.mmdgan(Duration.ofMinutes(2), "down"); // idempotent: after the test's own down it finds nothing
    }

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void fromUpToDown() throws Exception {
        try {
            buildSmallFeatureNetwork();
            progress("feature network built");
            Map<String, Long> pids = upTwiceStartsOneStack();
            progress("up (twice)");
            String plateau = startPlateauRun();
            awaitCheckpoint(plateau);
            progress("first checkpoint");
            samplerServesAPng(plateau);
            progress("sampler PNG");
            evaluatorScoresAndTheTrainerDecays(plateau);
            progress("KID and an applied DECAY");
            stack.mmdgan(CLI, "runs", "stop", plateau).ok("./mmdgan runs stop");
            eachDecisionAppliedOnce(awaitRun(plateau, r -> r.getState() == RunState.RUN_STATE_STOPPED, Duration.ofMinutes(2)));
            javaExampleRuns();
            progress("Java example");
            pythonExampleRuns();
            progress("Python example");
            downLeavesNothing(pids);
            progress("down");
        } catch (Throwable t) {
            System.err.println(stack.logTails());
            throw t;
        }
    }

    /** Where the time goes, in the build log. */
    private void progress(String step) {
        System.out.printf("end-to-end: %s after %d s%n", step, (System.nanoTime() - started) / 1_000_000_000L);
    }

    private void buildSmallFeatureNetwork() {
        // Where the evaluator looks first (its work folder); a few thousand images are enough to test the plumbing.
        stack.mmdgan(CLI, "features", "train", "--dataset", "fashion-mnist",
                "--out", stack.state.resolve("work/evaluator/feature-nets").toString(),
                "--epochs", "1", "--train-limit", "3000", "--test-limit", "500", "--min-accuracy", "0")
                .ok("./mmdgan features train");
    }

    private Map<String, Long> upTwiceStartsOneStack() {
        Shell.Result up = stack.mmdgan(Duration.ofMinutes(8), "up").ok("./mmdgan up");
        assertThat(up.stdout()).contains("dashboard:  http://127.0.0.1:" + stack.evaluatorPort + "/")
                .contains("gRPC trainer    127.0.0.1:" + stack.trainerPort)
                .contains("gRPC sampler    127.0.0.1:" + stack.samplerPort);
        JsonNode status = stack.status();
        for (JsonNode c : status.path("components")) {
            assertThat(c.path("state").asText()).as(c.toString()).isIn("running", "ready");
        }
        Map<String, Long> pids = stack.pids();
        assertThat(pids).containsOnlyKeys(LocalStack.COMPONENTS);

        Shell.Result again = stack.mmdgan(Duration.ofMinutes(3), "up").ok("a second ./mmdgan up");
        assertThat(again.stderr()).contains("trainer already running").contains("sampler already running");
        assertThat(stack.pids()).as("the second up started nothing").isEqualTo(pids);
        return pids;
    }

    private String startPlateauRun() {
        String lr = String.valueOf(PLATEAU_LR);
        Shell.Result started = stack.mmdgan(CLI, "runs", "start", "--dataset", "fashion-mnist", "--arch", "dcgan-28",
                "--batch", "16", "--steps", "1000000", "--checkpoint-every", "20", "--lr-g", lr, "--lr-d", lr, "--json")
                .ok("./mmdgan runs start");
        return LocalStack.json(started.stdout()).path("run_id").asText();
    }

    private void awaitCheckpoint(String run) throws InterruptedException {
        awaitRun(run, r -> r.getLastCheckpoint().getGeneratorStep() > 0, Duration.ofMinutes(4));
    }

    private void samplerServesAPng(String run) throws Exception {
        Path png = out.resolve("sampler-grid.png");
        Files.deleteIfExists(png);
        // The sampler loads the checkpoint when its event arrives: give it a little time.
        Shell.Result sample = await(() -> stack.mmdgan(CLI, "sample", "--remote", "127.0.0.1:" + stack.samplerPort,
                "--run", run, "--n", "16", "--seed", "3", "--out", png.toString()), r -> r.exitCode() == 0, Duration.ofMinutes(2));
        assertThat(sample.exitCode()).as(sample.stderr()).isZero();
        assertThat(Arrays.copyOf(Files.readAllBytes(png), 4)).isEqualTo(PNG_MAGIC);
    }

    private void evaluatorScoresAndTheTrainerDecays(String run) throws InterruptedException {
        var evaluator = EvaluatorServiceGrpc.newBlockingStub(channel(stack.evaluatorPort));
        Supplier<List<Evaluation>> evaluations = () -> evaluator.withDeadlineAfter(30, TimeUnit.SECONDS)
                .listEvaluations(ListEvaluationsRequest.newBuilder().setRunId(run).setPageSize(100).build()).getEvaluationsList();
        List<Evaluation> first = await(evaluations, l -> !l.isEmpty(), Duration.ofMinutes(4));
        assertThat(first.get(0).getKid().getFeatureNetwork()).isEqualTo("fashion-mnist-cnn-v1");
        assertThat(first.get(0).getKid().getSubsets()).isEqualTo(10);
        assertThat(first.get(0).getPictureKey()).endsWith("samples.png");

        Run decayed = awaitRun(run, r -> r.getLrDecays() >= 1, Duration.ofMinutes(8));
        assertThat(decayed.getAppliedDecisionIdsList()).isNotEmpty();
        assertThat(decayed.getLrGenerator()).isLessThan(PLATEAU_LR);
        // The rule: the third failed relative test in a row decays; the two before it failed.
        List<DecisionKind> decisions = evaluations.get().stream().sorted(java.util.Comparator.comparingLong(Evaluation::getGeneratorStep))
                .map(Evaluation::getDecision).toList();
        int firstDecay = decisions.indexOf(DecisionKind.DECISION_KIND_DECAY);
        assertThat(firstDecay).as("decisions %s", decisions).isGreaterThanOrEqualTo(2);
        assertThat(decisions.subList(firstDecay - 2, firstDecay)).as("decisions %s", decisions)
                .containsOnly(DecisionKind.DECISION_KIND_FAIL);
    }

    /** Stopped, the run has applied each decision id once: as many decays as ids, the rate 0.8 times lower for each. */
    private void eachDecisionAppliedOnce(Run stopped) {
        List<String> applied = stopped.getAppliedDecisionIdsList();
        assertThat(applied).isNotEmpty().doesNotHaveDuplicates();
        assertThat(stopped.getLrDecays()).as("decays applied, one per decision id").isEqualTo(applied.size());
        assertThat(stopped.getLrGenerator()).isCloseTo(PLATEAU_LR * Math.pow(0.8, applied.size()),
                org.assertj.core.data.Offset.offset(PLATEAU_LR * 1e-6));
    }

    private void javaExampleRuns() throws IOException {
        Path png = out.resolve("java-client-grid.png");
        Files.deleteIfExists(png);
        Path jar = stack.root.resolve("examples/java-client/target/java-client.jar");
        Shell.Result r = Shell.run(stack.root, exampleEnv(), Duration.ofMinutes(6), List.of("java", "-jar", jar.toString(), png.toString()))
                .ok("the Java client example");
        assertThat(r.stdout()).contains("KID").contains("64 samples of step");
        assertThat(Arrays.copyOf(Files.readAllBytes(png), 4)).isEqualTo(PNG_MAGIC);
    }

    private void pythonExampleRuns() throws IOException {
        Shell.run(stack.root, Map.of(), Duration.ofMinutes(4), List.of("bash", "examples/python/generate.sh"))
                .ok("examples/python/generate.sh (needs mvn)");
        Path png = out.resolve("python-grid.png");
        Files.deleteIfExists(png);
        Shell.Result r = Shell.run(stack.root, exampleEnv(), Duration.ofMinutes(6),
                List.of("/usr/bin/python3", "examples/python/quickstart.py", png.toString()))
                .ok("the Python example (needs Debian's python3-grpcio and python3-protobuf)");
        assertThat(r.stdout()).contains("KID").contains("64 samples of step");
        assertThat(Arrays.copyOf(Files.readAllBytes(png), 4)).isEqualTo(PNG_MAGIC);
    }

    private void downLeavesNothing(Map<String, Long> pids) throws InterruptedException {
        stack.mmdgan(Duration.ofMinutes(3), "down").ok("./mmdgan down");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (pids.values().stream().anyMatch(ProductEndToEndIT::alive) && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        pids.forEach((name, pid) -> assertThat(alive(pid)).as(name + " (pid " + pid + ") still runs after down").isFalse());
        for (JsonNode c : stack.status().path("components")) {
            assertThat(c.path("state").asText()).as(c.toString()).isEqualTo("stopped");
            int port = Integer.parseInt(c.path("address").asText().replaceAll(".*:", ""));
            assertThat(LocalStack.listening(port)).as(c.path("name").asText() + "'s port " + port).isFalse();
        }
    }

    private Map<String, String> exampleEnv() {
        Map<String, String> env = new HashMap<>(stack.env());
        env.put("MMDGAN_QUICKSTART_STEPS", "40");
        env.put("MMDGAN_QUICKSTART_CHECKPOINT_EVERY", "20");
        return env;
    }

    private Run awaitRun(String run, Predicate<Run> done, Duration limit) throws InterruptedException {
        if (trainer == null) {
            trainer = TrainerServiceGrpc.newBlockingStub(channel(stack.trainerPort));
        }
        return await(() -> trainer.withDeadlineAfter(30, TimeUnit.SECONDS).getRun(GetRunRequest.newBuilder().setRunId(run).build()),
                done, limit);
    }

    /** Polls {@code call} until {@code done}; on time out fails with the last value. */
    private static <T> T await(Supplier<T> call, Predicate<T> done, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = call.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("not reached within " + limit + "; last: " + last);
    }

    private ManagedChannel channel(int port) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
