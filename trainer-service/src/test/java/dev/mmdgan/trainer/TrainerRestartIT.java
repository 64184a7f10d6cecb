package dev.mmdgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.ListRunsRequest;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.RunStateChanged;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import dev.mmdgan.api.v1.TrainingMetricsReported;
import dev.mmdgan.service.testing.KafkaTopics;
import dev.mmdgan.service.testing.PackagedService;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged service (target/quarkus-app) as an operator runs it, stopped and started again: killed with SIGKILL
 * mid-run, started while the store is down, killed while a run was stopping, stopped gracefully while the broker is
 * down. Real broker, real store, real processes; each test has its own bucket, topics and work folder.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES) // longer than the default 5: real restarts and outages
class TrainerRestartIT {

    private static final int PORT = 18080;

    private Map<String, String> settings;
    private final PackagedService service = new PackagedService("trainer", PORT,
            Path.of(System.getProperty("user.dir"), "target", "infra"));
    private ManagedChannel channel;
    private TrainerServiceGrpc.TrainerServiceBlockingStub trainer;

    @BeforeAll
    static void infra() {
        LocalInfra.infra("start");
    }

    @AfterAll
    static void stopInfra() {
        LocalInfra.infra("stop");
    }

    @BeforeEach
    void isolate() {
        settings = LocalInfra.isolatedSettings("restart");
        channel = TrainerCalls.channel(PORT);
        trainer = TrainerCalls.trainer(channel);
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        service.close();
        channel.shutdownNow();
        LocalInfra.infra("start"); // a test that failed midway may have left the broker or the store stopped
    }

    private Process launch(String name, boolean waitReady, Map<String, String> env) throws IOException, InterruptedException {
        return service.start(name, settings, env, waitReady);
    }

    private Process launch(String name) throws IOException, InterruptedException {
        return launch(name, true, Map.of());
    }

    private int readiness() throws IOException, InterruptedException {
        return service.readiness();
    }

    private String startRun(long steps, long checkpointEvery, long metricsEvery) {
        return trainer.startRun(StartRunRequest.newBuilder().setConfig(TrainerServiceTest.tinyRun(steps)
                .setCheckpointEvery(checkpointEvery).setMetricsEvery(metricsEvery)).build()).getRunId();
    }

    private Run await(String id, java.util.function.Predicate<Run> done) throws InterruptedException {
        return TrainerCalls.await(trainer, id, Duration.ofSeconds(180), done);
    }

    private <T> List<T> events(String topic, String runId, KafkaTopics.Parser<T> parser, long atLeast) throws Exception {
        return KafkaTopics.read(settings.get("mmdgan.kafka.bootstrap-servers"), settings.get(topic), runId, parser, atLeast, 3000);
    }

    @Test
    void aKilledServiceResumesItsRunsFromTheirCheckpoints() throws Exception {
        Process first = launch("restart-kill-first");
        String id = startRun(1000, 100, 10);
        long checkpointed = await(id, r -> r.getLastCheckpoint().getGeneratorStep() >= 200).getLastCheckpoint().getGeneratorStep();
        first.destroyForcibly().waitFor();

        launch("restart-kill-second");
        Run resumed = await(id, r -> r.getState() == RunState.RUN_STATE_RUNNING || r.getState() == RunState.RUN_STATE_COMPLETED);
        assertThat(resumed.getGeneratorStep()).isGreaterThanOrEqualTo(checkpointed); // not from scratch
        Run done = await(id, r -> r.getState() == RunState.RUN_STATE_COMPLETED);
        assertThat(done.getGeneratorStep()).isEqualTo(1000);
        assertThat(done.getLastCheckpoint().getGeneratorStep()).isEqualTo(1000);

        // The restart is in the state events (RUNNING -> QUEUED -> RUNNING), saying from which step it continues.
        List<RunStateChanged> states = events("mmdgan.kafka.run-states-topic", id, RunStateChanged::parseFrom, 5);
        assertThat(states).anySatisfy(s -> {
            assertThat(s.getPreviousState()).isEqualTo(RunState.RUN_STATE_RUNNING);
            assertThat(s.getState()).isEqualTo(RunState.RUN_STATE_QUEUED);
            assertThat(s.getReason()).startsWith("the service restarted; the run continues from its checkpoint at step");
        });
        // Steps trained twice were reported twice, under the same event ids.
        assertSameIdPerStep(events("mmdgan.kafka.metrics-topic", id, TrainingMetricsReported::parseFrom, 100),
                m -> m.getMetrics().getGeneratorStep(), m -> m.getHeader().getEventId());
    }

    @Test
    void aServiceStartedWhileTheStoreIsDownIsNotReadyUntilItHasItsRunsBack() throws Exception {
        Process first = launch("restart-store-first");
        String id = startRun(400, 100, 10);
        await(id, r -> r.getLastCheckpoint().getGeneratorStep() >= 100);
        first.destroyForcibly().waitFor();

        LocalInfra.infra("stop", "s3");
        launch("restart-store-second", false, Map.of());
        Thread.sleep(3000);
        assertThat(readiness()).isEqualTo(503);
        for (Runnable call : List.<Runnable>of(() -> trainer.getRun(GetRunRequest.newBuilder().setRunId(id).build()),
                () -> trainer.listRuns(ListRunsRequest.getDefaultInstance()))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE); // not NOT_FOUND, not an empty list
                assertThat(e.getStatus().getDescription()).contains("still reading its runs from the store");
            });
        }
        LocalInfra.infra("start", "s3");
        Run done = await(id, r -> r.getState() == RunState.RUN_STATE_COMPLETED);
        assertThat(done.getGeneratorStep()).isEqualTo(400);
        assertThat(readiness()).isEqualTo(200);
    }

    @Test
    void aRunThatWasStoppingWhenTheServiceDiedStaysStopped() throws Exception {
        Process first = launch("restart-stopping-first");
        String id = startRun(100_000, 50, 10);
        long checkpointed = await(id, r -> r.getLastCheckpoint().getGeneratorStep() >= 100).getLastCheckpoint().getGeneratorStep();
        first.destroyForcibly().waitFor();
        // The window between StopRun and the final checkpoint is a few milliseconds on moons: a kill inside it is
        // made certain by writing the record the killed service would have left, state STOPPING.
        rewriteRecord(id, r -> r.toBuilder().setState(RunState.RUN_STATE_STOPPING).build());

        launch("restart-stopping-second");
        Run stopped = await(id, r -> r.getState() == RunState.RUN_STATE_STOPPED);
        long stoppedAt = stopped.getGeneratorStep();
        assertThat(stoppedAt).isGreaterThanOrEqualTo(checkpointed).isEqualTo(stopped.getLastCheckpoint().getGeneratorStep());
        Thread.sleep(3000);
        Run later = trainer.getRun(GetRunRequest.newBuilder().setRunId(id).build());
        assertThat(later.getState()).isEqualTo(RunState.RUN_STATE_STOPPED);
        assertThat(later.getGeneratorStep()).isEqualTo(stoppedAt); // it did not train on
        assertThat(events("mmdgan.kafka.run-states-topic", id, RunStateChanged::parseFrom, 3)).last().satisfies(s -> {
            assertThat(s.getState()).isEqualTo(RunState.RUN_STATE_STOPPED);
            assertThat(s.getReason()).startsWith("the service restarted while the run was stopping");
        });
    }

    @Test
    void eventsOfAGracefulStopWhileTheBrokerIsDownArriveAfterTheRestart() throws Exception {
        long steps = 600;
        Process first = launch("restart-broker-first");
        String id = startRun(steps, 50, 10);
        await(id, r -> r.getGeneratorStep() >= 60);
        LocalInfra.infra("stop", "kafka");
        long brokerDown = trainer.getRun(GetRunRequest.newBuilder().setRunId(id).build()).getGeneratorStep();
        await(id, r -> r.getLastCheckpoint().getGeneratorStep() >= brokerDown + 150);
        first.destroy(); // SIGTERM: a graceful stop, with events still waiting for the broker
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        LocalInfra.infra("start", "kafka");

        launch("restart-broker-second");
        assertThat(await(id, r -> r.getState() == RunState.RUN_STATE_COMPLETED).getGeneratorStep()).isEqualTo(steps);

        List<CheckpointPublished> checkpoints = events("mmdgan.kafka.checkpoints-topic", id, CheckpointPublished::parseFrom,
                steps / 50);
        assertThat(checkpoints.stream().map(c -> c.getCheckpoint().getGeneratorStep()).collect(Collectors.toSet()))
                .containsAll(everyMultiple(50, steps));
        assertSameIdPerStep(checkpoints, c -> c.getCheckpoint().getGeneratorStep(), c -> c.getHeader().getEventId());
        List<TrainingMetricsReported> metrics = events("mmdgan.kafka.metrics-topic", id, TrainingMetricsReported::parseFrom,
                steps / 10);
        assertThat(metrics.stream().map(m -> m.getMetrics().getGeneratorStep()).collect(Collectors.toSet()))
                .containsAll(everyMultiple(10, steps));
        assertSameIdPerStep(metrics, m -> m.getMetrics().getGeneratorStep(), m -> m.getHeader().getEventId());
    }

    @Test
    void anEmptyTokenVariableStopsTheServiceFromStarting() throws Exception {
        Path log = Path.of(System.getProperty("user.dir"), "target", "infra", "restart-empty-token.log");
        assertThatThrownBy(() -> launch("restart-empty-token", true, Map.of("MMDGAN_AUTH_TOKEN", "")))
                .hasMessageContaining("the trainer").hasMessageContaining("exited with");
        assertThat(Files.readString(log)).contains("MMDGAN_AUTH_TOKEN (mmdgan.auth.token) is set but empty");
    }

    private static Set<Long> everyMultiple(long every, long upTo) {
        Set<Long> steps = new java.util.HashSet<>();
        for (long s = every; s <= upTo; s += every) {
            steps.add(s);
        }
        return steps;
    }

    /** Every event about the same step (of one kind) carries the same id, so consumers can drop the repeats. */
    private static <T> void assertSameIdPerStep(List<T> events, Function<T, Long> step, Function<T, String> id) {
        Map<Long, Set<String>> ids = new HashMap<>();
        events.forEach(e -> ids.computeIfAbsent(step.apply(e), s -> new java.util.HashSet<>()).add(id.apply(e)));
        assertThat(ids.values()).allSatisfy(s -> assertThat(s).hasSize(1));
    }

    /** Changes a run's stored record as a killed service could have left it. */
    private void rewriteRecord(String id, java.util.function.UnaryOperator<Run> change) throws Exception {
        MinioClient s3 = MinioClient.builder().endpoint(settings.get("mmdgan.store.endpoint"))
                .credentials(LocalInfra.ACCESS_KEY, LocalInfra.SECRET_KEY).region("us-east-1").build();
        String bucket = settings.get("mmdgan.store.bucket");
        String object = "runs/" + id + "/run.binpb";
        Run record;
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(object).build())) {
            record = Run.parseFrom(in);
        }
        byte[] bytes = change.apply(record).toByteArray();
        s3.putObject(PutObjectArgs.builder().bucket(bucket).object(object).stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L)
                .build());
    }
}
