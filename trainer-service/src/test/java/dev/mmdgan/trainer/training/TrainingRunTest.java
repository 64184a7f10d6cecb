package dev.mmdgan.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.ArchitectureSpec;
import dev.mmdgan.api.v1.DatasetSpec;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.engine.train.RunSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A run's state machine without the service: stops, resumes and stale training attempts. */
@Timeout(60)
class TrainingRunTest {

    private static final RunConfig CONFIG = RunConfig.newBuilder().setDataset(DatasetSpec.newBuilder().setName("moons"))
            .setArchitecture(ArchitectureSpec.newBuilder().setName("mlp-2d")).setSteps(100).setBatchSize(32).build();

    private static RunSpec spec(long steps) {
        return RunConfigValidator.validate(CONFIG.toBuilder().setSteps(steps).build(), List.of());
    }

    private static TrainingRun queued() {
        TrainingRun run = new TrainingRun("r1", CONFIG, spec(100), Instant.now(), "");
        run.transition(RunState.RUN_STATE_QUEUED);
        return run;
    }

    @Test
    void aStopWhileQueuedWinsOverTheTrainingThatWasAboutToStart() {
        TrainingRun run = queued();
        long attempt = run.attempt();
        assertThat(run.requestStop().state()).isEqualTo(RunState.RUN_STATE_STOPPED);
        assertThat(run.startTraining(attempt, 0, 1e-3, 1e-3, 0)).isNull();
        assertThat(run.state()).isEqualTo(RunState.RUN_STATE_STOPPED);
    }

    @Test
    void aStaleAttemptCannotStartAResumedRun() {
        TrainingRun run = queued();
        long first = run.attempt();
        run.requestStop();
        run.resume(CONFIG, spec(200));
        assertThat(run.startTraining(first, 0, 1e-3, 1e-3, 0)).isNull();
        TrainingRun.StateChange started = run.startTraining(run.attempt(), 50, 1e-3, 1e-3, 0);
        assertThat(started.previous()).isEqualTo(RunState.RUN_STATE_QUEUED);
        assertThat(started.state()).isEqualTo(RunState.RUN_STATE_RUNNING);
        assertThat(started.step()).isEqualTo(50);
    }

    @Test
    void aRunningRunStopsAfterItsStepAndStateVersionsCount() {
        TrainingRun run = queued();
        run.startTraining(run.attempt(), 0, 1e-3, 1e-3, 0);
        TrainingRun.StateChange stopping = run.requestStop();
        assertThat(stopping.state()).isEqualTo(RunState.RUN_STATE_STOPPING);
        assertThat(run.requestStop()).isNull(); // a second stop changes nothing
        assertThat(run.transition(RunState.RUN_STATE_STOPPED).version()).isEqualTo(4);
        assertThatThrownBy(() -> run.transition(RunState.RUN_STATE_RUNNING)).isInstanceOf(RunTransitions.IllegalTransition.class);
    }

    @Test
    void ofConcurrentResumesExactlyOneSucceeds() throws Exception {
        for (int trial = 0; trial < 50; trial++) {
            TrainingRun run = queued();
            run.requestStop();
            int callers = 8;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        run.resume(CONFIG, spec(200));
                        return true;
                    } catch (RunManager.WrongState e) {
                        return false;
                    }
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> r : results) {
                won += r.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            pool.shutdown();
            assertThat(won).isEqualTo(1);
            assertThat(run.attempt()).isEqualTo(1);
        }
    }

    @Test
    void anErrorAfterTheRunEndedLeavesItsFinalState() {
        TrainingRun run = queued();
        run.requestStop();
        assertThat(run.failWith("java.lang.OutOfMemoryError: late")).isNull();
        assertThat(run.state()).isEqualTo(RunState.RUN_STATE_STOPPED);
        assertThat(run.toProto(0).getFailureMessage()).isEmpty();
    }

    @Test
    void aResumeNeedsMoreStepsThanTheRunHas() {
        TrainingRun run = queued();
        run.startTraining(run.attempt(), 0, 1e-3, 1e-3, 0);
        run.progress(100, dev.mmdgan.api.v1.StepLosses.getDefaultInstance(), 1e-3, 1e-3, 0);
        run.transition(RunState.RUN_STATE_COMPLETED);
        assertThatThrownBy(() -> run.resume(CONFIG, spec(100))).isInstanceOf(RunConfigValidator.InvalidRunConfig.class)
                .hasMessage("steps must be larger than the run's 100 completed steps, got 100");
        assertThat(run.state()).isEqualTo(RunState.RUN_STATE_COMPLETED);
    }
}
