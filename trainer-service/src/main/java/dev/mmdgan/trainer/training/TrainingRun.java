package dev.mmdgan.trainer.training;

import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.StepLosses;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.service.Timestamps;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One run's state as the service sees it: mutable, guarded by its own monitor. Every state change goes through
 * {@link RunTransitions}, and the checks that decide a change happen under the same lock as the change itself.
 */
final class TrainingRun {

    /** Metrics kept for WatchRun's replay ({@code from_step}). */
    private static final int HISTORY = 1000;

    /** A state change, as it is published. */
    record StateChange(RunState previous, RunState state, long step, long version) {
    }

    final String id;
    private final Instant createdAt;
    private final String idempotencyKey;
    private RunConfig config;
    private RunSpec spec;
    private RunState state = RunState.RUN_STATE_UNSPECIFIED;
    /** Which queued training attempt may start the run: a resume makes a new one, so a stale attempt cannot train. */
    private long attempt;
    private long stateVersion;
    private long step;
    private double lrGenerator;
    private double lrCritic;
    private double lossCoefficient;
    private StepLosses lastLosses = StepLosses.getDefaultInstance();
    private CheckpointRef lastCheckpoint = CheckpointRef.getDefaultInstance();
    private String failure = "";
    private Instant updatedAt;
    private boolean stopRequested;
    private final Set<String> appliedDecisions = new LinkedHashSet<>();
    private final Deque<LearningRateDecision> pendingDecays = new ArrayDeque<>();
    private final Deque<TrainingMetrics> history = new ArrayDeque<>();
    private final List<StreamObserver<TrainingMetrics>> watchers = new CopyOnWriteArrayList<>();

    TrainingRun(String id, RunConfig config, RunSpec spec, Instant createdAt, String idempotencyKey) {
        this.id = id;
        this.config = config;
        this.spec = spec;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        this.idempotencyKey = idempotencyKey;
        if (spec != null) { // null for a stored run whose config no longer validates: it is kept, failed
            this.lrGenerator = spec.training().lrGenerator();
            this.lrCritic = spec.training().lrCritic();
        }
    }

    synchronized RunState state() {
        return state;
    }

    synchronized RunSpec spec() {
        return spec;
    }

    synchronized RunConfig config() {
        return config;
    }

    synchronized long attempt() {
        return attempt;
    }

    String idempotencyKey() {
        return idempotencyKey;
    }

    Instant createdAt() {
        return createdAt;
    }

    synchronized long step() {
        return step;
    }

    synchronized boolean stopRequested() {
        return stopRequested;
    }

    /** Moves to {@code next} from whatever state the run is in; throws if the table does not allow it. */
    synchronized StateChange transition(RunState next) {
        if (!RunTransitions.isLegal(state, next)) {
            throw new RunTransitions.IllegalTransition(id, state, next);
        }
        RunState previous = state;
        state = next;
        stateVersion++;
        updatedAt = Instant.now();
        return new StateChange(previous, next, step, stateVersion);
    }

    /**
     * QUEUED → RUNNING at the loaded trainer's step and rates, only for the current attempt and only if nobody stopped
     * the run while its data loaded; else null.
     */
    synchronized StateChange startTraining(long attempt, long step, double lrGenerator, double lrCritic, double lossCoefficient) {
        if (state != RunState.RUN_STATE_QUEUED || attempt != this.attempt || stopRequested) {
            return null;
        }
        rates(step, lrGenerator, lrCritic, lossCoefficient);
        return transition(RunState.RUN_STATE_RUNNING);
    }

    /** A stop request: a queued (or loading) run stops at once, a running one finishes its step first; else null. */
    synchronized StateChange requestStop() {
        return switch (state) {
            case RUN_STATE_QUEUED -> {
                stopRequested = true;
                yield transition(RunState.RUN_STATE_STOPPED);
            }
            case RUN_STATE_RUNNING -> {
                stopRequested = true;
                yield transition(RunState.RUN_STATE_STOPPING);
            }
            default -> null;
        };
    }

    /**
     * Re-queues a stopped, failed or completed run to train up to the steps of {@code newSpec}, atomically: of two
     * concurrent resumes exactly one wins. The new attempt is {@link #attempt()}.
     */
    synchronized StateChange resume(RunConfig newConfig, RunSpec newSpec) {
        if (!RunTransitions.RESUMABLE.contains(state)) {
            throw new RunManager.WrongState("run " + id + " is " + state + "; only STOPPED, FAILED or COMPLETED runs can be resumed");
        }
        if (newSpec.steps() <= step) {
            throw new RunConfigValidator.InvalidRunConfig("steps must be larger than the run's " + step
                    + " completed steps, got " + newSpec.steps());
        }
        config = newConfig;
        spec = newSpec;
        stopRequested = false;
        failure = "";
        attempt++;
        return transition(RunState.RUN_STATE_QUEUED);
    }

    /** The end of training: STOPPING → STOPPED after a stop request, else RUNNING → COMPLETED, in one step. */
    synchronized StateChange finish() {
        return transition(state == RunState.RUN_STATE_STOPPING ? RunState.RUN_STATE_STOPPED : RunState.RUN_STATE_COMPLETED);
    }

    /** Ends the run FAILED with {@code message}, unless it already reached a final state (then null). */
    synchronized StateChange failWith(String message) {
        if (!RunTransitions.isLegal(state, RunState.RUN_STATE_FAILED)) {
            return null;
        }
        failure = message;
        return transition(RunState.RUN_STATE_FAILED);
    }

    synchronized Instant updatedAt() {
        return updatedAt;
    }

    /** New learning rates (a decay, or a restored checkpoint's) at {@code step}; the last losses stay. */
    synchronized void rates(long step, double lrGenerator, double lrCritic, double lossCoefficient) {
        progress(step, lastLosses, lrGenerator, lrCritic, lossCoefficient);
    }

    synchronized void progress(long step, StepLosses losses, double lrGenerator, double lrCritic, double lossCoefficient) {
        this.step = step;
        this.lastLosses = losses;
        this.lrGenerator = lrGenerator;
        this.lrCritic = lrCritic;
        this.lossCoefficient = lossCoefficient;
        this.updatedAt = Instant.now();
    }

    /** Back to a stored checkpoint's step (after a restart): the steps trained after it are lost. */
    synchronized void rewindTo(long checkpointStep) {
        step = checkpointStep;
        if (lastCheckpoint.getGeneratorStep() > checkpointStep) {
            lastCheckpoint = CheckpointRef.getDefaultInstance();
        }
    }

    /**
     * Queues a DECAY decision for the run's training thread, which applies it before its next step (also after a
     * resume); false if a decision with this id was applied or queued before (also before a restart).
     */
    synchronized boolean queueDecay(LearningRateDecision decision) {
        String id = decision.getDecisionId();
        if (appliedDecisions.contains(id) || pendingDecays.stream().anyMatch(d -> d.getDecisionId().equals(id))) {
            return false;
        }
        return pendingDecays.add(decision);
    }

    /** The oldest decision waiting for the training thread, or null. */
    synchronized LearningRateDecision nextDecay() {
        return pendingDecays.poll();
    }

    /**
     * The training thread applied this decision. Only now is its id recorded (the number of decays is the number of
     * applied ids), so that a decision still waiting when the run stops is never reported as applied.
     */
    synchronized void decayed(String decisionId) {
        appliedDecisions.add(decisionId);
    }

    synchronized void checkpointed(CheckpointRef ref) {
        if (ref.getGeneratorStep() >= lastCheckpoint.getGeneratorStep()) {
            lastCheckpoint = ref;
        }
    }

    /** Records metrics and sends them to every watcher. */
    void report(TrainingMetrics m) {
        synchronized (this) {
            history.addLast(m);
            if (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
        for (StreamObserver<TrainingMetrics> w : watchers) {
            try {
                w.onNext(m);
            } catch (RuntimeException e) {
                watchers.remove(w); // the client went away
            }
        }
    }

    /** Adds a watcher, first replaying kept metrics from {@code fromStep} (negative: none). */
    void watch(StreamObserver<TrainingMetrics> watcher, long fromStep) {
        List<TrainingMetrics> replay;
        synchronized (this) {
            replay = fromStep < 0 ? List.of() : history.stream().filter(m -> m.getGeneratorStep() >= fromStep).toList();
            watchers.add(watcher);
        }
        replay.forEach(watcher::onNext);
        if (RunTransitions.isFinal(state())) {
            finishWatchers();
        }
    }

    void unwatch(StreamObserver<TrainingMetrics> watcher) {
        watchers.remove(watcher);
    }

    /** Ends every watcher's stream (the run is over). */
    void finishWatchers() {
        for (StreamObserver<TrainingMetrics> w : watchers) {
            watchers.remove(w);
            try {
                w.onCompleted();
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }

    synchronized Run toProto(int queuePosition) {
        return Run.newBuilder().setRunId(id).setConfig(config).setState(state).setGeneratorStep(step)
                .setLrGenerator(lrGenerator).setLrCritic(lrCritic).setSmmdLambda(lossCoefficient).setLastLosses(lastLosses)
                .setLastCheckpoint(lastCheckpoint).setLrDecays(appliedDecisions.size()).setQueuePosition(queuePosition)
                .setFailureMessage(failure).setCreatedAt(Timestamps.of(createdAt)).setUpdatedAt(Timestamps.of(updatedAt))
                .setStateVersion(stateVersion).setIdempotencyKey(idempotencyKey).addAllAppliedDecisionIds(appliedDecisions)
                .build();
    }

    /** A run as a stored record describes it (after a service restart). */
    static TrainingRun fromRecord(Run record, RunSpec spec) {
        TrainingRun run = new TrainingRun(record.getRunId(), record.getConfig(), spec, Timestamps.instant(record.getCreatedAt()),
                record.getIdempotencyKey());
        synchronized (run) {
            run.state = record.getState();
            run.stateVersion = record.getStateVersion();
            run.step = record.getGeneratorStep();
            run.lrGenerator = record.getLrGenerator();
            run.lrCritic = record.getLrCritic();
            run.lossCoefficient = record.getSmmdLambda();
            run.lastLosses = record.getLastLosses();
            run.lastCheckpoint = record.getLastCheckpoint();
            run.failure = record.getFailureMessage();
            run.updatedAt = Timestamps.instant(record.getUpdatedAt());
            run.appliedDecisions.addAll(record.getAppliedDecisionIdsList());
        }
        return run;
    }
}
