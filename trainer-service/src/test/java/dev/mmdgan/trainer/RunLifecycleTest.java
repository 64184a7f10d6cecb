package dev.mmdgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.ListRunsRequest;
import dev.mmdgan.api.v1.ListRunsResponse;
import dev.mmdgan.api.v1.ResumeRunRequest;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.RunStateChanged;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.StopRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.storage.CheckpointStore;
import dev.mmdgan.service.testing.KafkaTopics;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Races and bookkeeping of runs: stop before training, concurrent resumes, paging, idempotent starts. Real broker and store. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "lifecycle"))
class RunLifecycleTest {

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int port;

    @Inject
    CheckpointStore store;

    @Inject
    TrainerConfig config;

    @Inject
    KafkaConfig kafka;

    private ManagedChannel channel;
    private TrainerServiceGrpc.TrainerServiceBlockingStub trainer;

    @BeforeEach
    void connect() throws InterruptedException {
        TrainerCalls.awaitReady(port);
        channel = TrainerCalls.channel(port);
        trainer = TrainerCalls.trainer(channel);
    }

    @AfterEach
    void disconnect() {
        TrainerCalls.stopActive(trainer);
        channel.shutdownNow();
    }

    private String start(long steps) {
        return trainer.startRun(StartRunRequest.newBuilder().setConfig(TrainerServiceTest.tinyRun(steps)).build()).getRunId();
    }

    private Run stop(String id) {
        return trainer.stopRun(StopRunRequest.newBuilder().setRunId(id).build());
    }

    private List<RunStateChanged> states(String id, long atLeast) throws Exception {
        return KafkaTopics.read(kafka.bootstrapServers(), kafka.runStatesTopic(), id, RunStateChanged::parseFrom,
                atLeast, 1500);
    }

    @Test
    void aRunStoppedRightAfterItsStartNeverTrains() throws Exception {
        for (int i = 0; i < 5; i++) {
            String id = start(2000);
            stop(id);
            Run stopped = TrainerCalls.awaitState(trainer, id, RunState.RUN_STATE_STOPPED);
            Thread.sleep(300); // time for a wrongly started training to show
            Run later = trainer.getRun(dev.mmdgan.api.v1.GetRunRequest.newBuilder().setRunId(id).build());
            assertThat(later.getState()).isEqualTo(RunState.RUN_STATE_STOPPED);
            assertThat(later.getGeneratorStep()).isZero();
            assertThat(later.getLastCheckpoint().getGeneratorStep()).isZero();
            assertThat(store.list("runs/" + id + "/checkpoints/")).isEmpty();
            assertThat(states(id, 2)).extracting(RunStateChanged::getState)
                    .containsExactly(RunState.RUN_STATE_QUEUED, RunState.RUN_STATE_STOPPED);
            assertThat(stopped.getFailureMessage()).isEmpty();
        }
    }

    @Test
    void ofConcurrentResumesExactlyOneWins() throws Exception {
        String id = start(1_000_000);
        TrainerCalls.await(trainer, id, java.time.Duration.ofSeconds(60), r -> r.getGeneratorStep() >= 5);
        stop(id);
        long stoppedAt = TrainerCalls.awaitState(trainer, id, RunState.RUN_STATE_STOPPED).getGeneratorStep();

        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<Status.Code>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            answers.add(pool.submit((Callable<Status.Code>) () -> {
                try {
                    trainer.resumeRun(ResumeRunRequest.newBuilder().setRunId(id).setSteps(stoppedAt + 20).build());
                    return Status.Code.OK;
                } catch (StatusRuntimeException e) {
                    return e.getStatus().getCode();
                }
            }));
        }
        List<Status.Code> codes = new ArrayList<>();
        for (Future<Status.Code> a : answers) {
            codes.add(a.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(codes).filteredOn(c -> c == Status.Code.OK).hasSize(1);
        assertThat(codes).filteredOn(c -> c != Status.Code.OK).allMatch(c -> c == Status.Code.FAILED_PRECONDITION);

        Run done = TrainerCalls.awaitState(trainer, id, RunState.RUN_STATE_COMPLETED);
        assertThat(done.getGeneratorStep()).isEqualTo(stoppedAt + 20);
        // One training after the resume: one QUEUED -> RUNNING after the stop.
        List<RunStateChanged> states = states(id, 7);
        assertThat(states.stream().filter(s -> s.getState() == RunState.RUN_STATE_RUNNING)).hasSize(2);
    }

    @Test
    void listRunsPagesThroughEveryRunOnce() throws Exception {
        Set<String> mine = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String id = start(1000);
            stop(id);
            mine.add(id);
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListRunsResponse page = trainer.listRuns(ListRunsRequest.newBuilder().setPageSize(2).setPageToken(token).build());
            assertThat(page.getRunsCount()).isLessThanOrEqualTo(2);
            page.getRunsList().forEach(r -> seen.add(r.getRunId()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty() && pages < 100);
        assertThat(seen).doesNotHaveDuplicates().containsAll(mine);
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(trainer.listRuns(ListRunsRequest.newBuilder().addStates(RunState.RUN_STATE_STOPPED).setPageSize(500).build())
                .getRunsList()).extracting(Run::getRunId).containsAll(mine);

        assertInvalid(() -> trainer.listRuns(ListRunsRequest.newBuilder().setPageSize(501).build()), "page_size must be in [1, 500]");
        assertInvalid(() -> trainer.listRuns(ListRunsRequest.newBuilder().setPageSize(-1).build()), "page_size must be in [1, 500]");
        assertInvalid(() -> trainer.listRuns(ListRunsRequest.newBuilder().setPageToken("not-a-token").build()),
                "page_token is not a token this service issued");
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameRun() {
        var config = TrainerServiceTest.tinyRun(1000).build();
        Run first = trainer.startRun(StartRunRequest.newBuilder().setConfig(config).setIdempotencyKey("k1").build());
        Run again = trainer.startRun(StartRunRequest.newBuilder().setConfig(config).setIdempotencyKey("k1").build());
        Run third = trainer.startRun(StartRunRequest.newBuilder().setConfig(config).setIdempotencyKey("k1").build());
        assertThat(again.getRunId()).isEqualTo(first.getRunId());
        assertThat(third.getRunId()).isEqualTo(first.getRunId());
        stop(first.getRunId());

        assertInvalid(() -> trainer.startRun(StartRunRequest.newBuilder().setConfig(config.toBuilder().setBatchSize(16))
                .setIdempotencyKey("k1").build()), "idempotency_key was already used for run " + first.getRunId());
        assertInvalid(() -> trainer.startRun(StartRunRequest.newBuilder().setConfig(config).setIdempotencyKey("k".repeat(129))
                .build()), "idempotency_key must be at most 128 characters, got 129");
        Run other = trainer.startRun(StartRunRequest.newBuilder().setConfig(config).setIdempotencyKey("k2").build());
        assertThat(other.getRunId()).isNotEqualTo(first.getRunId());
        stop(other.getRunId());
    }

    private static void assertInvalid(Runnable call, String messageStart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).startsWith(messageStart);
        });
    }
}
