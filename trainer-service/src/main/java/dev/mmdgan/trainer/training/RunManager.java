package dev.mmdgan.trainer.training;

import dev.mmdgan.api.v1.DecisionKind;
import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.service.api.ApiErrors;
import dev.mmdgan.trainer.TrainerConfig;
import dev.mmdgan.trainer.TrainerMetrics;
import dev.mmdgan.trainer.events.TrainerEvents;
import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Owns the runs: validates and queues them, hands them to a fixed pool of training slots
 * ({@code mmdgan.trainer.max-concurrent-runs}), and answers the API's questions about them. The training itself is
 * {@link TrainingLoop}'s; a restarted service gets its runs back through {@link RunRecovery}.
 */
@ApplicationScoped
public class RunManager {

    private static final Logger LOG = Logger.getLogger(RunManager.class);
    /** Longest idempotency key accepted. */
    public static final int MAX_IDEMPOTENCY_KEY = 128;

    @Inject
    TrainerConfig config;

    @Inject
    TrainerEvents events;

    @Inject
    TrainerMetrics metrics;

    @Inject
    CheckpointPipeline pipeline;

    @Inject
    TrainingLoop loop;

    @Inject
    RunRecovery recovery;

    private final Map<String, TrainingRun> runs = new ConcurrentHashMap<>();
    private final Map<String, String> runsByIdempotencyKey = new ConcurrentHashMap<>();
    private ExecutorService slots;

    /** Thrown for an unknown run id. */
    public static final class UnknownRun extends ApiErrors.NotFound {
        UnknownRun(String id) {
            super("no run with id '" + id + "'");
        }
    }

    /** Thrown when a run is not in a state that allows the request. */
    public static final class WrongState extends ApiErrors.FailedPrecondition {
        WrongState(String message) {
            super(message);
        }
    }

    /** Thrown while the service cannot answer yet (its runs are still being read from the store). */
    public static final class NotReady extends ApiErrors.Unavailable {
        NotReady(String message) {
            super(message);
        }
    }

    void onStart(@Observes StartupEvent event) {
        slots = Executors.newFixedThreadPool(config.maxConcurrentRuns(), r -> {
            Thread t = new Thread(r, "trainer");
            t.setDaemon(true);
            return t;
        });
        recovery.start(this);
    }

    void onShutdown(@Observes ShutdownEvent event) throws InterruptedException {
        loop.shutDown();
        recovery.shutDown();
        slots.shutdownNow();
        slots.awaitTermination(30, TimeUnit.SECONDS);
        pipeline.close();
    }

    /** Whether the runs of the previous instance are back (readiness). */
    public boolean ready() {
        return recovery.done();
    }

    /**
     * Validates {@code runConfig} (InvalidRunConfig if it is wrong), queues the run and returns it. With an
     * idempotency key, a repeated request returns the run the first one created.
     */
    public Run start(RunConfig runConfig, String idempotencyKey) {
        requireReady();
        if (idempotencyKey.length() > MAX_IDEMPOTENCY_KEY) {
            throw new IllegalArgumentException("idempotency_key must be at most " + MAX_IDEMPOTENCY_KEY
                    + " characters, got " + idempotencyKey.length());
        }
        RunSpec spec = RunConfigValidator.validate(runConfig, config.dataRoots());
        if (idempotencyKey.isEmpty()) {
            return view(queueNew(runConfig, spec, ""));
        }
        synchronized (runsByIdempotencyKey) {
            String existing = runsByIdempotencyKey.get(idempotencyKey);
            if (existing != null) {
                TrainingRun run = find(existing);
                // A resume may have raised the run's steps since; the rest of the config must match.
                if (!run.config().toBuilder().clearSteps().build().equals(runConfig.toBuilder().clearSteps().build())) {
                    throw new IllegalArgumentException("idempotency_key was already used for run " + existing
                            + " with a different config; use a new key for a new run");
                }
                return view(run);
            }
            TrainingRun run = queueNew(runConfig, spec, idempotencyKey);
            runsByIdempotencyKey.put(idempotencyKey, run.id);
            return view(run);
        }
    }

    private TrainingRun queueNew(RunConfig runConfig, RunSpec spec, String idempotencyKey) {
        TrainingRun run = new TrainingRun(UUID.randomUUID().toString(), runConfig, spec, Instant.now(), idempotencyKey);
        runs.put(run.id, run);
        changed(run, run.transition(RunState.RUN_STATE_QUEUED), "queued");
        LOG.infof("run %s queued (%s on %s, %d steps)", run.id, spec.architecture(), spec.dataset(), spec.steps());
        submit(run, false);
        return run;
    }

    public Run get(String id) {
        return view(find(id));
    }

    /** One page of runs in {@code states} (all when empty), oldest first, and the token of the next page. */
    public RunPages.Page list(Collection<RunState> states, int pageSize, String pageToken) {
        requireReady();
        RunPages.Position after = RunPages.decode(pageToken);
        List<TrainingRun> matching = runs.values().stream().filter(r -> states.isEmpty() || states.contains(r.state()))
                .sorted(RunPages.ORDER).filter(r -> after == null || RunPages.isAfter(r, after)).limit(pageSize + 1L).toList();
        List<Run> page = matching.stream().limit(pageSize).map(this::view).toList();
        String next = matching.size() > pageSize ? RunPages.encode(matching.get(pageSize - 1)) : "";
        return new RunPages.Page(page, next);
    }

    /** Asks a run to stop: a queued or loading run stops at once; a running one after its step, with a checkpoint. */
    public Run stop(String id) {
        TrainingRun run = find(id);
        TrainingRun.StateChange change = run.requestStop();
        if (change != null) {
            changed(run, change, change.state() == RunState.RUN_STATE_STOPPED ? "stopped before training" : "stop requested");
            if (change.state() == RunState.RUN_STATE_STOPPED) {
                runEnded(run);
            }
        }
        return view(run);
    }

    /** Continues a stopped, failed or completed run from its latest checkpoint in the store, up to {@code steps}. */
    public Run resume(String id, Optional<Long> steps) {
        TrainingRun run = find(id);
        long total = steps.orElse(run.spec() != null ? run.spec().steps() : run.config().getSteps());
        RunConfig newConfig = run.config().toBuilder().setSteps(total).build();
        RunSpec newSpec = RunConfigValidator.validate(newConfig, config.dataRoots());
        TrainingRun.StateChange change = run.resume(newConfig, newSpec);
        changed(run, change, "resume requested");
        submit(run, true);
        return view(run);
    }

    public void watch(String id, long fromStep, StreamObserver<dev.mmdgan.api.v1.TrainingMetrics> watcher) {
        find(id).watch(watcher, fromStep);
    }

    public void unwatch(String id, StreamObserver<dev.mmdgan.api.v1.TrainingMetrics> watcher) {
        TrainingRun run = runs.get(id);
        if (run != null) {
            run.unwatch(watcher);
        }
    }

    /**
     * Hands a DECAY decision to its run, which applies it once per decision id before its next training step; other
     * kinds and unknown runs are ignored.
     */
    public void applyDecision(LearningRateDecision d) {
        TrainingRun run = runs.get(d.getHeader().getRunId());
        if (run == null || d.getKind() != DecisionKind.DECISION_KIND_DECAY) {
            return;
        }
        if (d.getDecisionId().isEmpty() || !run.queueDecay(d)) {
            LOG.infof("ignoring duplicate or unnamed decision '%s' for run %s", d.getDecisionId(), run.id);
        }
    }

    TrainingRun find(String id) {
        TrainingRun run = runs.get(id);
        if (run == null) {
            requireReady(); // an unknown id may still be in the store
            throw new UnknownRun(id);
        }
        return run;
    }

    private void requireReady() {
        if (!recovery.done()) {
            throw new NotReady("the trainer is still reading its runs from the store; retry in a few seconds");
        }
    }

    private Run view(TrainingRun run) {
        int position = 0;
        if (run.state() == RunState.RUN_STATE_QUEUED) {
            position = (int) runs.values().stream().filter(r -> r.state() == RunState.RUN_STATE_QUEUED)
                    .filter(r -> r.updatedAt().isBefore(run.updatedAt())).count() + 1;
        }
        return run.toProto(position);
    }

    /** Publishes a state change, logs it and stores the run's record. */
    void changed(TrainingRun run, TrainingRun.StateChange change, String reason) {
        events.stateChanged(run.id, change.step(), change.previous(), change.state(), change.version(), reason);
        LOG.infof("run %s: %s -> %s at step %d (%s)", run.id, change.previous(), change.state(), change.step(), reason);
        pipeline.saveRecord(run.toProto(0));
    }

    /** A run reached a final state: its watchers' streams end and its gauges go. */
    void runEnded(TrainingRun run) {
        run.finishWatchers();
        metrics.runEnded(run.id);
    }

    /** Hands a queued run to a training slot. */
    void submit(TrainingRun run, boolean fromStore) {
        long attempt = run.attempt();
        slots.submit(() -> loop.train(this, run, attempt, fromStore));
    }

    /** A run read back from the store by {@link RunRecovery}. */
    void adopt(TrainingRun run) {
        runs.putIfAbsent(run.id, run);
        if (!run.idempotencyKey().isEmpty()) {
            runsByIdempotencyKey.putIfAbsent(run.idempotencyKey(), run.id);
        }
    }

    boolean knows(String id) {
        return runs.containsKey(id);
    }
}
