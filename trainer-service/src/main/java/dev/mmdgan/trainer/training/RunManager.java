package dev.mmdgan.trainer.training;

import dev.mmdgan.api.v1.DecisionKind;
import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.api.v1.Provenance;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.StepLosses;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.StepResult;
import dev.mmdgan.trainer.TrainerConfig;
import dev.mmdgan.trainer.TrainerMetrics;
import dev.mmdgan.trainer.events.EventPublisher;
import dev.mmdgan.trainer.storage.CheckpointStore;
import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Owns the runs: validates and queues them, trains them on a fixed pool ({@code mmdgan.trainer.max-concurrent-runs}),
 * checkpoints them to the store without stalling training, publishes their events, and applies learning-rate
 * decisions. Run records live in the store too, so a restarted service picks up the runs that were training.
 */
@ApplicationScoped
public class RunManager {

    private static final Logger LOG = Logger.getLogger(RunManager.class);

    @Inject
    TrainerConfig config;

    @Inject
    CheckpointStore store;

    @Inject
    EventPublisher events;

    @Inject
    TrainerMetrics metrics;

    private final Map<String, TrainingRun> runs = new ConcurrentHashMap<>();
    private final Map<String, Queue<LearningRateDecision>> pendingDecays = new ConcurrentHashMap<>();
    private ExecutorService trainers;
    /** Checkpoint uploads and run records, in order, off the training threads. */
    private ExecutorService uploads;
    private volatile boolean shuttingDown;

    /** Thrown for an unknown run id. */
    public static final class UnknownRun extends RuntimeException {
        UnknownRun(String id) {
            super("no run with id '" + id + "'");
        }
    }

    /** Thrown when a run is not in a state that allows the request. */
    public static final class WrongState extends RuntimeException {
        WrongState(String message) {
            super(message);
        }
    }

    void start(@Observes StartupEvent event) {
        trainers = Executors.newFixedThreadPool(config.trainer().maxConcurrentRuns(), daemon("trainer"));
        uploads = Executors.newSingleThreadExecutor(daemon("checkpoint-upload"));
        uploads.submit(this::recover);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        shuttingDown = true;
        trainers.shutdownNow();
        trainers.awaitTermination(30, TimeUnit.SECONDS);
        uploads.shutdown();
        uploads.awaitTermination(30, TimeUnit.SECONDS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Validates {@code config} (InvalidRunConfig if it is wrong), queues the run and returns it. */
    public Run start(RunConfig runConfig) {
        var spec = RunConfigValidator.validate(runConfig, List.of()); // TODO data roots from config
        TrainingRun run = new TrainingRun(UUID.randomUUID().toString(), runConfig, spec, Instant.now());
        runs.put(run.id, run);
        changed(run, RunState.RUN_STATE_UNSPECIFIED, "started");
        trainers.submit(() -> train(run, false));
        return view(run);
    }

    public Run get(String id) {
        return view(find(id));
    }

    public List<Run> list(Collection<RunState> states) {
        return runs.values().stream().filter(r -> states.isEmpty() || states.contains(r.state()))
                .sorted(Comparator.comparing(TrainingRun::createdAt)).map(this::view).toList();
    }

    /** Asks a run to stop: it finishes its current step and writes a final checkpoint. */
    public Run stop(String id) {
        TrainingRun run = find(id);
        run.requestStop();
        synchronized (run) {
            if (run.state() == RunState.RUN_STATE_QUEUED) {
                run.transition(RunState.RUN_STATE_STOPPED);
                changed(run, RunState.RUN_STATE_QUEUED, "stopped while queued");
                run.finishWatchers();
            } else if (run.state() == RunState.RUN_STATE_RUNNING) {
                run.transition(RunState.RUN_STATE_STOPPING);
                changed(run, RunState.RUN_STATE_RUNNING, "stop requested");
            }
        }
        return view(run);
    }

    /** Continues a stopped, failed or completed run from its latest checkpoint in the store, up to {@code steps}. */
    public Run resume(String id, Optional<Long> steps) {
        TrainingRun old = find(id);
        RunState state = old.state();
        if (state != RunState.RUN_STATE_STOPPED && state != RunState.RUN_STATE_FAILED && state != RunState.RUN_STATE_COMPLETED) {
            throw new WrongState("run " + id + " is " + state + "; only STOPPED, FAILED or COMPLETED runs can be resumed");
        }
        long total = steps.orElse(old.spec.steps());
        if (total < 1 || total > RunConfigValidator.MAX_STEPS) {
            throw new RunConfigValidator.InvalidRunConfig("steps must be in [1, " + RunConfigValidator.MAX_STEPS + "], got " + total);
        }
        if (total <= old.step()) {
            throw new RunConfigValidator.InvalidRunConfig("steps must be larger than the run's " + old.step()
                    + " completed steps, got " + total);
        }
        TrainingRun run = new TrainingRun(id, old.config().toBuilder().setSteps(total).build(), old.spec.withSteps(total),
                old.createdAt());
        run.restore(old.toProto(0));
        run.appliedDecisions.addAll(old.appliedDecisions);
        run.transition(RunState.RUN_STATE_QUEUED);
        runs.put(id, run);
        changed(run, state, "resume requested");
        trainers.submit(() -> train(run, true));
        return view(run);
    }

    public void watch(String id, long fromStep, StreamObserver<TrainingMetrics> watcher) {
        find(id).watch(watcher, fromStep);
    }

    public void unwatch(String id, StreamObserver<TrainingMetrics> watcher) {
        TrainingRun run = runs.get(id);
        if (run != null) {
            run.unwatch(watcher);
        }
    }

    /** Applies a DECAY decision to its run, once per decision id; other kinds and unknown runs are ignored. */
    public void applyDecision(LearningRateDecision d) {
        TrainingRun run = runs.get(d.getHeader().getRunId());
        if (run == null || d.getKind() != DecisionKind.DECISION_KIND_DECAY) {
            return;
        }
        if (d.getDecisionId().isEmpty() || !run.appliedDecisions.add(d.getDecisionId())) {
            LOG.infof("ignoring duplicate or unnamed decision '%s' for run %s", d.getDecisionId(), run.id);
            return;
        }
        pendingDecays.computeIfAbsent(run.id, k -> new ConcurrentLinkedQueue<>()).add(d);
    }

    private TrainingRun find(String id) {
        TrainingRun run = runs.get(id);
        if (run == null) {
            throw new UnknownRun(id);
        }
        return run;
    }

    private Run view(TrainingRun run) {
        int position = 0;
        if (run.state() == RunState.RUN_STATE_QUEUED) {
            position = (int) runs.values().stream().filter(r -> r.state() == RunState.RUN_STATE_QUEUED)
                    .filter(r -> r.updatedAt().isBefore(run.updatedAt()))
                    .count() + 1;
        }
        return run.toProto(position);
    }

    /** Publishes a state change and stores the run's record. */
    private void changed(TrainingRun run, RunState previous, String reason) {
        events.stateChanged(run.id, run.step(), previous, run.state(), reason);
        Run record = run.toProto(0);
        uploads.submit(() -> {
            store.saveRun(record, () -> !shuttingDown);
            return null;
        });
    }

    /** Trains a run to its steps or until stopped; {@code fromStore} continues from the store's latest checkpoint. */
    private void train(TrainingRun run, boolean fromStore) {
        if (run.stopRequested() || run.state() != RunState.RUN_STATE_QUEUED) {
            return;
        }
        Path workDir = config.trainer().workDir().resolve(run.id);
        try {
            MmdGanTrainer trainer = fromStore ? restoreLatest(run, workDir) : run.spec.newTrainer();
            RunState previous = run.transition(RunState.RUN_STATE_RUNNING);
            changed(run, previous, trainer.completedSteps() > 0 ? "resumed at step " + trainer.completedSteps() : "training");
            long metricsEvery = run.config().hasMetricsEvery() ? run.config().getMetricsEvery() : config.trainer().metricsEvery();
            long t0 = System.nanoTime();
            long firstStep = trainer.completedSteps();
            while (trainer.completedSteps() < run.spec.steps() && !run.stopRequested() && !shuttingDown) {
                applyPendingDecays(run, trainer);
                StepResult r = trainer.trainStep();
                StepLosses losses = StepLosses.newBuilder().setCriticLoss(r.criticLoss()).setGeneratorLoss(r.generatorLoss()).build();
                run.progress(r.step(), losses, trainer.generatorOptimizer().learningRate(), trainer.criticOptimizer().learningRate(),
                        trainer.lossCoefficient());
                metrics.step(run.id, r.criticLoss(), r.generatorLoss(), trainer.generatorOptimizer().learningRate(),
                        trainer.criticOptimizer().learningRate());
                if (r.step() % metricsEvery == 0 || r.step() == run.spec.steps()) {
                    double rate = (r.step() - firstStep) / Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
                    metrics.stepsPerSecond(run.id, rate);
                    report(run, rate, (run.spec.steps() - r.step()) / Math.max(rate, 1e-9), Map.of());
                }
                if (run.spec.checkpointEvery() > 0 && r.step() % run.spec.checkpointEvery() == 0 && r.step() < run.spec.steps()) {
                    checkpoint(run, trainer, workDir);
                }
            }
            if (shuttingDown) {
                return; // the record still says RUNNING: the next start resumes from the last stored checkpoint
            }
            checkpoint(run, trainer, workDir).get(); // the final state is published after the final checkpoint is stored
            RunState before = run.transition(run.stopRequested() ? RunState.RUN_STATE_STOPPED : RunState.RUN_STATE_COMPLETED);
            changed(run, before, run.stopRequested() ? "stopped" : "completed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.errorf(e, "run %s failed", run.id);
            run.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
            RunState before = run.transition(RunState.RUN_STATE_FAILED);
            changed(run, before, "failed: " + e.getMessage());
        } finally {
            run.finishWatchers();
        }
    }

    private MmdGanTrainer restoreLatest(TrainingRun run, Path workDir) throws Exception {
        Optional<Long> latest = store.latestStep(run.id);
        if (latest.isEmpty()) {
            LOG.infof("run %s has no stored checkpoint: starting it from step 0", run.id);
            return run.spec.newTrainer();
        }
        Path dir = store.download(run.id, latest.get(), workDir.resolve("restored-" + latest.get()));
        MmdGanTrainer trainer = Checkpoints.restore(dir).trainer();
        run.rates(trainer.completedSteps(), trainer.generatorOptimizer().learningRate(), trainer.criticOptimizer().learningRate(),
                trainer.lossCoefficient());
        return trainer;
    }

    private void applyPendingDecays(TrainingRun run, MmdGanTrainer trainer) {
        Queue<LearningRateDecision> queue = pendingDecays.get(run.id);
        LearningRateDecision d;
        while (queue != null && (d = queue.poll()) != null) {
            trainer.decay(d.getFactor(), d.getFloor());
            run.decayed();
            run.rates(trainer.completedSteps(), trainer.generatorOptimizer().learningRate(), trainer.criticOptimizer().learningRate(),
                    trainer.lossCoefficient());
            LOG.infof("run %s: decision %s decayed the learning rates to %g / %g", run.id, d.getDecisionId(),
                    trainer.generatorOptimizer().learningRate(), trainer.criticOptimizer().learningRate());
            report(run, 0, 0, Map.of("lr_decay", d.getFactor()));
        }
    }

    private void report(TrainingRun run, double stepsPerSecond, double eta, Map<String, Double> extra) {
        Run r = run.toProto(0);
        TrainingMetrics m = TrainingMetrics.newBuilder().setRunId(run.id).setGeneratorStep(r.getGeneratorStep())
                .setLosses(r.getLastLosses()).setLrGenerator(r.getLrGenerator()).setLrCritic(r.getLrCritic())
                .setSmmdLambda(r.getSmmdLambda()).setStepsPerSecond(stepsPerSecond).setEtaSeconds(eta).setState(r.getState())
                .setTimestamp(TrainingRun.timestamp(Instant.now())).putAllExtra(extra).build();
        run.report(m);
        events.metrics(m);
    }

    /** Saves a checkpoint locally, then uploads it and publishes its event in the background. */
    private Future<?> checkpoint(TrainingRun run, MmdGanTrainer trainer, Path workDir) {
        Path dir = Checkpoints.save(trainer, run.spec, workDir);
        long step = trainer.completedSteps();
        java.util.Properties meta = Checkpoints.metadata(dir);
        return uploads.submit(() -> {
            long t = System.nanoTime();
            var ref = store.upload(run.id, step, dir, () -> !shuttingDown, e -> {
                metrics.uploadFailed();
                LOG.warnf("run %s: checkpoint %d upload failed (will retry): %s", run.id, step, e.getMessage());
            });
            metrics.uploaded(Duration.ofNanos(System.nanoTime() - t));
            run.checkpointed(ref);
            events.checkpointPublished(ref, provenance(meta), (System.nanoTime() - t) / 1_000_000);
            store.saveRun(run.toProto(0), () -> !shuttingDown);
            return null;
        });
    }

    private static Provenance provenance(java.util.Properties meta) {
        return Provenance.newBuilder().setCodeVersion(meta.getProperty("code.version", ""))
                .setDataset(meta.getProperty("dataset.identity", "")).setProducer(EventPublisher.PRODUCER)
                .setCreatedAt(TrainingRun.timestamp(Instant.now())).build();
    }

    /** Picks up the runs a previous instance was training (their records say QUEUED, RUNNING or STOPPING). */
    private void recover() {
        List<Run> records;
        try {
            records = store.loadRuns();
        } catch (Exception e) {
            LOG.warnf("could not read run records from the store (%s); earlier runs are not resumed", e.getMessage());
            return;
        }
        for (Run record : records) {
            if (runs.containsKey(record.getRunId())) {
                continue;
            }
            try {
                TrainingRun run = new TrainingRun(record.getRunId(), record.getConfig(),
                        RunConfigValidator.validate(record.getConfig(), List.of()), // TODO data roots from config
                        TrainingRun.instant(record.getCreatedAt()));
                run.restore(record);
                runs.put(run.id, run);
                RunState s = record.getState();
                if (s == RunState.RUN_STATE_QUEUED || s == RunState.RUN_STATE_RUNNING || s == RunState.RUN_STATE_STOPPING) {
                    run.transition(RunState.RUN_STATE_QUEUED);
                    LOG.infof("run %s was %s before the restart: resuming it from its latest checkpoint", run.id, s);
                    trainers.submit(() -> train(run, true));
                }
            } catch (RuntimeException e) {
                LOG.warnf("skipping stored run %s: %s", record.getRunId(), e.getMessage());
            }
        }
    }
}
