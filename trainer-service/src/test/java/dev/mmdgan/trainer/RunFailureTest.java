package dev.mmdgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.RunStateChanged;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.StopRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.api.v1.WatchRunRequest;
import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.storage.CheckpointStore;
import dev.mmdgan.service.testing.KafkaTopics;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is thrown while a run loads, {@code Error}s included, ends the run FAILED with the error's class and message;
 * the state change is published, watchers' streams end and the training slot is free again. A stop while the data
 * loads ends the run STOPPED without training. Real broker and store; faults come from {@link FaultyTrainerFactory}.
 */
@QuarkusTest
@TestProfile(RunFailureTest.WithFaults.class)
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "failures"))
class RunFailureTest {

    public static final class WithFaults implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FaultyTrainerFactory.class);
        }
    }

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int port;

    @Inject
    TrainerConfig config;

    @Inject
    KafkaConfig kafka;

    @Inject
    CheckpointStore store;

    @Inject
    TrainerMetrics metrics;

    private ManagedChannel channel;
    private TrainerServiceGrpc.TrainerServiceBlockingStub trainer;

    @BeforeEach
    void connect() throws InterruptedException {
        TrainerCalls.awaitReady(port);
        FaultyTrainerFactory.reset();
        channel = TrainerCalls.channel(port);
        trainer = TrainerCalls.trainer(channel);
    }

    @AfterEach
    void disconnect() {
        FaultyTrainerFactory.release.countDown();
        channel.shutdownNow();
    }

    private String start(long seed) {
        return trainer.startRun(StartRunRequest.newBuilder().setConfig(TrainerServiceTest.tinyRun(20).setSeed(seed)).build()).getRunId();
    }

    private List<RunStateChanged> states(String id, long atLeast) throws Exception {
        return KafkaTopics.read(kafka.bootstrapServers(), kafka.runStatesTopic(), id, RunStateChanged::parseFrom,
                atLeast, 1000);
    }

    @Test
    void errorsEndTheRunFailedAndFreeTheSlot() throws Exception {
        record Fault(long seed, String message) {
        }
        for (Fault f : List.of(new Fault(FaultyTrainerFactory.OUT_OF_MEMORY, "java.lang.OutOfMemoryError: simulated: Java heap space"),
                new Fault(FaultyTrainerFactory.NO_CLASS_DEF, "java.lang.NoClassDefFoundError: simulated/MissingClass"),
                new Fault(FaultyTrainerFactory.STACK_OVERFLOW, "java.lang.StackOverflowError: simulated"))) {
            String id = start(f.seed());
            Run failed = TrainerCalls.awaitState(trainer, id, RunState.RUN_STATE_FAILED);
            assertThat(failed.getFailureMessage()).isEqualTo(f.message());
            List<RunStateChanged> states = states(id, 2);
            assertThat(states).extracting(RunStateChanged::getState).containsExactly(RunState.RUN_STATE_QUEUED,
                    RunState.RUN_STATE_FAILED);
            assertThat(states.get(1).getReason()).isEqualTo("failed: " + f.message());
        }
        // One training slot (max-concurrent-runs = 1): a healthy run after the failures trains to the end.
        String healthy = start(7);
        assertThat(TrainerCalls.awaitState(trainer, healthy, RunState.RUN_STATE_COMPLETED).getGeneratorStep()).isEqualTo(20);
        assertThat(metrics.hasRun(healthy)).isFalse();
    }

    @Test
    void aWatcherOfARunThatFailsSeesItsStreamEnd() throws Exception {
        String id = start(FaultyTrainerFactory.SLOW_OUT_OF_MEMORY);
        assertThat(FaultyTrainerFactory.loading.await(60, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<List<TrainingMetrics>> watched = CompletableFuture.supplyAsync(() -> {
            List<TrainingMetrics> seen = new ArrayList<>();
            Iterator<TrainingMetrics> stream = trainer.watchRun(WatchRunRequest.newBuilder().setRunId(id).build());
            stream.forEachRemaining(seen::add);
            return seen;
        });
        Thread.sleep(500); // the watcher is attached
        FaultyTrainerFactory.release.countDown();
        assertThat(watched.get(30, TimeUnit.SECONDS)).isEmpty(); // ended normally, not by its deadline
        assertThat(trainer.getRun(GetRunRequest.newBuilder().setRunId(id).build()).getState()).isEqualTo(RunState.RUN_STATE_FAILED);
    }

    @Test
    void aStopWhileTheDataLoadsEndsTheRunWithoutTraining() throws Exception {
        String id = start(FaultyTrainerFactory.SLOW_LOAD);
        assertThat(FaultyTrainerFactory.loading.await(60, TimeUnit.SECONDS)).isTrue();
        Run stopped = trainer.stopRun(StopRunRequest.newBuilder().setRunId(id).build());
        assertThat(stopped.getState()).isEqualTo(RunState.RUN_STATE_STOPPED);
        FaultyTrainerFactory.release.countDown();
        Thread.sleep(2000); // the load finishes; the run must not start
        Run later = trainer.getRun(GetRunRequest.newBuilder().setRunId(id).build());
        assertThat(later.getState()).isEqualTo(RunState.RUN_STATE_STOPPED);
        assertThat(later.getGeneratorStep()).isZero();
        assertThat(store.list("runs/" + id + "/checkpoints/")).isEmpty();
        assertThat(states(id, 2)).extracting(RunStateChanged::getState).containsExactly(RunState.RUN_STATE_QUEUED,
                RunState.RUN_STATE_STOPPED);
    }
}
