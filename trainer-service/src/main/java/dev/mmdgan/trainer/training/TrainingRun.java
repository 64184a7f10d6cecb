package dev.mmdgan.trainer.training;

import com.google.protobuf.Timestamp;
import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.StepLosses;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.engine.train.RunSpec;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** One run's state as the service sees it: mutable, guarded by its own monitor. */
final class TrainingRun {

    /** Metrics kept for WatchRun's replay ({@code from_step}). */
    private static final int HISTORY = 1000;

    final String id;
    final RunSpec spec;
    private final RunConfig config;
    private final Instant createdAt;
    private RunState state = RunState.RUN_STATE_QUEUED;
    private long step;
    private double lrGenerator;
    private double lrCritic;
    private double lossCoefficient;
    private int decays;
    private StepLosses lastLosses = StepLosses.getDefaultInstance();
    private CheckpointRef lastCheckpoint = CheckpointRef.getDefaultInstance();
    private String failure = "";
    private Instant updatedAt;
    private volatile boolean stopRequested;
    private final Deque<TrainingMetrics> history = new ArrayDeque<>();
    private final List<StreamObserver<TrainingMetrics>> watchers = new CopyOnWriteArrayList<>();
    /** Decision ids already applied (duplicates are ignored). */
    final Set<String> appliedDecisions = ConcurrentHashMap.newKeySet();

    TrainingRun(String id, RunConfig config, RunSpec spec, Instant createdAt) {
        this.id = id;
        this.config = config;
        this.spec = spec;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        this.lrGenerator = spec.training().lrGenerator();
        this.lrCritic = spec.training().lrCritic();
    }

    synchronized RunState state() {
        return state;
    }

    /** Moves to {@code next}, returning the previous state. */
    synchronized RunState transition(RunState next) {
        RunState previous = state;
        state = next;
        updatedAt = Instant.now();
        return previous;
    }

    synchronized void fail(String message) {
        failure = message;
    }

    void requestStop() {
        stopRequested = true;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    synchronized long step() {
        return step;
    }

    RunConfig config() {
        return config;
    }

    Instant createdAt() {
        return createdAt;
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

    synchronized void decayed() {
        decays++;
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
        if (state().getNumber() >= RunState.RUN_STATE_STOPPED_VALUE) {
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
                .setLastCheckpoint(lastCheckpoint).setLrDecays(decays).setQueuePosition(queuePosition)
                .setFailureMessage(failure).setCreatedAt(timestamp(createdAt)).setUpdatedAt(timestamp(updatedAt)).build();
    }

    /** Restores what a stored record knows (after a service restart). */
    synchronized void restore(Run record) {
        state = record.getState();
        step = record.getGeneratorStep();
        lrGenerator = record.getLrGenerator();
        lrCritic = record.getLrCritic();
        lossCoefficient = record.getSmmdLambda();
        decays = record.getLrDecays();
        lastLosses = record.getLastLosses();
        lastCheckpoint = record.getLastCheckpoint();
        failure = record.getFailureMessage();
    }

    static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
