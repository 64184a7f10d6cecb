package dev.mmdgan.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.ArchitectureSpec;
import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.DatasetSpec;
import dev.mmdgan.api.v1.DecisionKind;
import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.RunStateChanged;
import dev.mmdgan.service.events.EventIds;
import dev.mmdgan.service.storage.InMemoryBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's scheduling, training loop, checkpoint pipeline and crash recovery on in-memory fakes of the store and
 * of Kafka ({@link InMemoryTrainer}): no broker, no S3 server, no Quarkus.
 */
@Timeout(300)
class TrainerDomainTest {

    @TempDir
    Path work;

    private final InMemoryBlobStore blobs = new InMemoryBlobStore();

    private static RunConfig tiny(long steps, long checkpointEvery) {
        return RunConfig.newBuilder().setDataset(DatasetSpec.newBuilder().setName("moons"))
                .setArchitecture(ArchitectureSpec.newBuilder().setName("mlp-2d")).setSteps(steps).setBatchSize(32).setNCritic(1)
                .setCheckpointEvery(checkpointEvery).setMetricsEvery(5).build();
    }

    private static Run await(InMemoryTrainer t, String id, Predicate<Run> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        Run last = null;
        while (System.nanoTime() < deadline) {
            last = t.manager.get(id);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("timed out; last " + last);
    }

    private static List<RunState> states(InMemoryTrainer t, String id) {
        return t.events.on(t.kafka.runStatesTopic(), id, RunStateChanged.class).stream().map(RunStateChanged::getState).toList();
    }

    @Test
    void runsQueueForTheSlotAndTrainInOrder() throws Exception {
        try (InMemoryTrainer t = new InMemoryTrainer(blobs, work).awaitReady()) {
            String first = t.manager.start(tiny(30, 0), "").getRunId();
            Run second = t.manager.start(tiny(10, 0), "");
            await(t, first, r -> r.getState() == RunState.RUN_STATE_RUNNING);
            assertThat(t.manager.get(second.getRunId()).getState()).isEqualTo(RunState.RUN_STATE_QUEUED);
            assertThat(t.manager.get(second.getRunId()).getQueuePosition()).isEqualTo(1);
            Run done = await(t, second.getRunId(), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
            assertThat(t.manager.get(first).getState()).isEqualTo(RunState.RUN_STATE_COMPLETED);
            assertThat(Timestamps.isAfter(done, t.manager.get(first))).isTrue();
        }
    }

    @Test
    void aRunCheckpointsAnnouncesAndCleansUp() throws Exception {
        try (InMemoryTrainer t = new InMemoryTrainer(blobs, work).awaitReady()) {
            String id = t.manager.start(tiny(30, 10), "").getRunId();
            Run done = await(t, id, r -> r.getState() == RunState.RUN_STATE_COMPLETED);
            assertThat(done.getLastCheckpoint().getGeneratorStep()).isEqualTo(30);
            assertThat(t.checkpoints.latestStep(id)).contains(30L);
            List<CheckpointPublished> published = t.events.on(t.kafka.checkpointsTopic(), id, CheckpointPublished.class);
            assertThat(published).extracting(c -> c.getCheckpoint().getGeneratorStep()).containsExactly(10L, 20L, 30L);
            assertThat(published).allSatisfy(c -> assertThat(c.getHeader().getEventId())
                    .isEqualTo(EventIds.id(id, c.getCheckpoint().getGeneratorStep(), "checkpoint")));
            assertThat(states(t, id)).containsExactly(RunState.RUN_STATE_QUEUED, RunState.RUN_STATE_RUNNING,
                    RunState.RUN_STATE_COMPLETED);
            awaitGone(work.resolve(id));
        }
    }

    @Test
    void aStopRightAfterAPeriodicCheckpointReusesIt() throws Exception {
        try (InMemoryTrainer t = new InMemoryTrainer(blobs, work).awaitReady()) {
            String id = t.manager.start(tiny(1_000_000, 1), "").getRunId(); // a checkpoint after every step
            await(t, id, r -> r.getLastCheckpoint().getGeneratorStep() >= 3);
            t.manager.stop(id);
            Run stopped = await(t, id, r -> RunTransitions.isFinal(r.getState()));
            assertThat(stopped.getState()).as(stopped.getFailureMessage()).isEqualTo(RunState.RUN_STATE_STOPPED);
            assertThat(stopped.getLastCheckpoint().getGeneratorStep()).isEqualTo(stopped.getGeneratorStep());
        }
    }

    @Test
    void trainingGoesOnWhileTheStoreIsAwayAndEveryCheckpointArrives() throws Exception {
        try (InMemoryTrainer t = new InMemoryTrainer(blobs, work).awaitReady()) {
            String id = t.manager.start(tiny(100, 20), "").getRunId();
            await(t, id, r -> r.getLastCheckpoint().getGeneratorStep() >= 20);
            blobs.down(true);
            long at = t.manager.get(id).getGeneratorStep();
            assertThat(await(t, id, r -> r.getGeneratorStep() >= at + 25).getState()).isEqualTo(RunState.RUN_STATE_RUNNING);
            blobs.down(false);
            await(t, id, r -> r.getState() == RunState.RUN_STATE_COMPLETED);
            for (long step = 20; step <= 100; step += 20) {
                assertThat(blobs.exists("runs/" + id + "/checkpoints/" + step + "/MANIFEST.sha256")).as("step " + step).isTrue();
            }
        }
    }

    @Test
    void aRestartContinuesRunsFromTheirCheckpointsAndRemembersAppliedDecisions() throws Exception {
        String id;
        double decayedRate;
        try (InMemoryTrainer first = new InMemoryTrainer(blobs, work).awaitReady()) {
            id = first.manager.start(tiny(1_000_000, 10), "").getRunId();
            await(first, id, r -> r.getGeneratorStep() >= 2);
            first.manager.applyDecision(decay(id));
            decayedRate = await(first, id, r -> r.getLrDecays() == 1).getLrGenerator();
            await(first, id, r -> r.getLastCheckpoint().getGeneratorStep() >= 20);
        } // the service stops; the record says RUNNING
        try (InMemoryTrainer second = new InMemoryTrainer(blobs, work).awaitReady()) {
            Run back = await(second, id, r -> r.getState() == RunState.RUN_STATE_RUNNING);
            assertThat(back.getGeneratorStep()).isGreaterThanOrEqualTo(20);
            assertThat(second.events.on(second.kafka.runStatesTopic(), id, RunStateChanged.class).get(0).getReason())
                    .startsWith("the service restarted; the run continues from its checkpoint at step");
            // The newest checkpoint's event is published again, with its id.
            assertThat(second.events.on(second.kafka.checkpointsTopic(), id, CheckpointPublished.class)).isNotEmpty();

            second.manager.applyDecision(decay(id)); // redelivered after the restart
            Thread.sleep(200);
            Run now = second.manager.get(id);
            assertThat(now.getLrDecays()).isEqualTo(1);
            assertThat(now.getLrGenerator()).isEqualTo(decayedRate);
            second.manager.stop(id);
            await(second, id, r -> r.getState() == RunState.RUN_STATE_STOPPED);
        }
    }

    @Test
    void aDecisionForAStoppedRunCountsOnlyOnceTheRunTrainsAgain() throws Exception {
        try (InMemoryTrainer t = new InMemoryTrainer(blobs, work).awaitReady()) {
            String id = t.manager.start(tiny(1_000_000, 10), "").getRunId();
            await(t, id, r -> r.getGeneratorStep() >= 2);
            t.manager.stop(id);
            double rate = await(t, id, r -> r.getState() == RunState.RUN_STATE_STOPPED).getLrGenerator();

            t.manager.applyDecision(decay(id));
            t.manager.applyDecision(decay(id)); // a repeat while it waits
            Run stopped = t.manager.get(id);
            assertThat(stopped.getAppliedDecisionIdsList()).as("waiting, not applied").isEmpty();
            assertThat(stopped.getLrDecays()).isZero();

            t.manager.resume(id, Optional.empty());
            Run decayed = await(t, id, r -> r.getLrDecays() == 1);
            assertThat(decayed.getAppliedDecisionIdsList()).containsExactly("d-1");
            assertThat(decayed.getLrGenerator()).isEqualTo(rate * 0.5);
            t.manager.stop(id);
            assertThat(await(t, id, r -> r.getState() == RunState.RUN_STATE_STOPPED).getLrDecays()).isEqualTo(1);
        }
    }

    @Test
    void aRunThatWasStoppingStaysStoppedAfterARestart() throws Exception {
        String id;
        try (InMemoryTrainer first = new InMemoryTrainer(blobs, work).awaitReady()) {
            id = first.manager.start(tiny(1_000_000, 10), "").getRunId();
            await(first, id, r -> r.getLastCheckpoint().getGeneratorStep() >= 10);
        }
        Run record = Run.parseFrom(blobs.get("runs/" + id + "/run.binpb"));
        blobs.put("runs/" + id + "/run.binpb", record.toBuilder().setState(RunState.RUN_STATE_STOPPING).build().toByteArray());
        try (InMemoryTrainer second = new InMemoryTrainer(blobs, work).awaitReady()) {
            Run stopped = second.manager.get(id);
            assertThat(stopped.getState()).isEqualTo(RunState.RUN_STATE_STOPPED);
            assertThat(stopped.getGeneratorStep()).isEqualTo(second.checkpoints.latestStep(id).orElseThrow());
            Thread.sleep(300);
            assertThat(second.manager.get(id).getGeneratorStep()).isEqualTo(stopped.getGeneratorStep());
        }
    }

    @Test
    void withTheStoreAwayAtStartTheServiceIsNotReadyAndSaysSo() throws Exception {
        blobs.down(true);
        try (InMemoryTrainer t = new InMemoryTrainer(blobs, work)) {
            Thread.sleep(200);
            assertThat(t.manager.ready()).isFalse();
            assertThatThrownBy(() -> t.manager.get("any")).isInstanceOf(RunManager.NotReady.class);
            blobs.down(false);
            t.awaitReady();
            assertThatThrownBy(() -> t.manager.get("any")).isInstanceOf(RunManager.UnknownRun.class);
        }
    }

    private static LearningRateDecision decay(String runId) {
        return LearningRateDecision.newBuilder().setHeader(EventIds.header(runId, 1, "decision", "test")).setDecisionId("d-1")
                .setKind(DecisionKind.DECISION_KIND_DECAY).setFactor(0.5).setFloor(1e-6).build();
    }

    private static void awaitGone(Path folder) throws InterruptedException {
        for (int i = 0; i < 500 && Files.exists(folder); i++) {
            Thread.sleep(10);
        }
        assertThat(folder).doesNotExist();
    }

    /** Comparisons of run timestamps. */
    private static final class Timestamps {
        static boolean isAfter(Run a, Run b) {
            return dev.mmdgan.service.Timestamps.instant(a.getUpdatedAt()).isAfter(dev.mmdgan.service.Timestamps.instant(b.getUpdatedAt()));
        }
    }
}
