package dev.mmdgan.trainer.training;

import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.StepLosses;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.StepResult;
import dev.mmdgan.service.Timestamps;
import dev.mmdgan.trainer.TrainerConfig;
import dev.mmdgan.trainer.TrainerMetrics;
import dev.mmdgan.trainer.events.TrainerEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * One run in a training slot: load (or restore) the trainer, train until the run's steps or a stop, checkpoint on
 * the way, and end in a final state. Whatever is thrown, {@code Error}s included, ends the run FAILED with the
 * error's class and message, and the slot is free again.
 */
@ApplicationScoped
public class TrainingLoop {

    private static final Logger LOG = Logger.getLogger(TrainingLoop.class);
    /** Longest failure message kept in a run's record and events. */
    private static final int MAX_FAILURE_MESSAGE = 1000;

    @Inject
    TrainerConfig config;

    @Inject
    TrainerFactory trainers;

    @Inject
    CheckpointPipeline pipeline;

    @Inject
    TrainerEvents events;

    @Inject
    TrainerMetrics metrics;

    private volatile boolean shuttingDown;

    /** Training stops after the current step; runs keep their RUNNING record, so the next start resumes them. */
    void shutDown() {
        shuttingDown = true;
    }

    /** Trains attempt {@code attempt} of a queued run; {@code fromStore} continues from its newest stored checkpoint. */
    void train(RunManager manager, TrainingRun run, long attempt, boolean fromStore) {
        if (run.state() != RunState.RUN_STATE_QUEUED || run.attempt() != attempt) {
            return; // stopped while queued, or a newer attempt (a resume) owns the run
        }
        Path workDir = config.workDir().resolve(run.id);
        try {
            MmdGanTrainer trainer = fromStore ? pipeline.restoreLatest(run, workDir) : trainers.create(run.spec());
            long reached = run.step();
            long first = trainer.completedSteps();
            TrainingRun.StateChange started = run.startTraining(attempt, first, trainer.generatorOptimizer().learningRate(),
                    trainer.criticOptimizer().learningRate(), trainer.lossCoefficient());
            if (started == null) {
                LOG.infof("run %s was stopped while its data loaded: not training it", run.id);
                return;
            }
            manager.changed(run, started, first == 0 ? "training" : first < reached
                    ? "resumed from the checkpoint at step " + first + "; the run had reached step " + reached
                    : "resumed at step " + first);
            Checkpointed last = trainSteps(run, trainer, workDir);
            if (shuttingDown) {
                return; // the record still says RUNNING: the next start resumes from the last stored checkpoint
            }
            // The final state follows the final checkpoint; a stop right after a periodic one reuses it.
            if (last != null && last.step() == trainer.completedSteps()) {
                last.upload().get();
            } else if (trainer.completedSteps() > first) {
                pipeline.checkpoint(run, trainer, workDir).get();
            }
            TrainingRun.StateChange end = run.finish();
            manager.changed(run, end, end.state() == RunState.RUN_STATE_STOPPED ? "stopped at step " + end.step()
                    : "completed " + end.step() + " steps");
            manager.runEnded(run);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down
        } catch (Throwable t) { // OutOfMemoryError, NoClassDefFoundError, StackOverflowError included
            fail(manager, run, t);
        } finally {
            if (!shuttingDown && RunTransitions.isFinal(run.state())) {
                pipeline.discardLocal(workDir); // after the run's queued uploads, which read from it
            }
        }
    }

    /** A checkpoint taken during training: its step and its upload. */
    private record Checkpointed(long step, Future<?> upload) {
    }

    /** Trains until the run's steps, a stop or a shutdown; returns the last periodic checkpoint (null if none). */
    private Checkpointed trainSteps(TrainingRun run, MmdGanTrainer trainer, Path workDir) {
        Checkpointed last = null;
        long steps = run.spec().steps();
        long metricsEvery = run.config().hasMetricsEvery() ? run.config().getMetricsEvery() : config.metricsEvery();
        long checkpointEvery = run.spec().checkpointEvery();
        long t0 = System.nanoTime();
        long first = trainer.completedSteps();
        while (trainer.completedSteps() < steps && !run.stopRequested() && !shuttingDown) {
            applyPendingDecays(run, trainer);
            StepResult r = trainer.trainStep();
            StepLosses losses = StepLosses.newBuilder().setCriticLoss(r.criticLoss()).setGeneratorLoss(r.generatorLoss()).build();
            double lrG = trainer.generatorOptimizer().learningRate();
            double lrD = trainer.criticOptimizer().learningRate();
            run.progress(r.step(), losses, lrG, lrD, trainer.lossCoefficient());
            metrics.step(run.id, r.criticLoss(), r.generatorLoss(), lrG, lrD);
            if (r.step() % metricsEvery == 0 || r.step() == steps) {
                double rate = (r.step() - first) / Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
                metrics.stepsPerSecond(run.id, rate);
                report(run, rate, (steps - r.step()) / Math.max(rate, 1e-9), Map.of(), "");
            }
            if (checkpointEvery > 0 && r.step() % checkpointEvery == 0 && r.step() < steps) {
                last = new Checkpointed(r.step(), pipeline.checkpoint(run, trainer, workDir));
            }
        }
        return last;
    }

    private void fail(RunManager manager, TrainingRun run, Throwable t) {
        String message = t.getClass().getName() + ": " + t.getMessage();
        message = message.length() > MAX_FAILURE_MESSAGE ? message.substring(0, MAX_FAILURE_MESSAGE) + "…" : message;
        try {
            LOG.errorf(t, "run %s failed", run.id);
            TrainingRun.StateChange change = run.failWith(message);
            if (change != null) {
                metrics.runFailed();
                manager.changed(run, change, "failed: " + message);
            }
            manager.runEnded(run);
        } catch (Throwable again) { // e.g. still out of memory: the run's state is set, the rest is best effort
            LOG.errorf("run %s: reporting its failure failed too: %s", run.id, again);
        }
    }

    private void applyPendingDecays(TrainingRun run, MmdGanTrainer trainer) {
        LearningRateDecision d;
        while ((d = run.nextDecay()) != null) {
            trainer.decay(d.getFactor(), d.getFloor());
            run.decayed(d.getDecisionId());
            run.rates(trainer.completedSteps(), trainer.generatorOptimizer().learningRate(), trainer.criticOptimizer().learningRate(),
                    trainer.lossCoefficient());
            pipeline.saveRecord(run.toProto(0)); // the applied id survives a restart
            LOG.infof("run %s: decision %s decayed the learning rates to %g / %g at step %d", run.id, d.getDecisionId(),
                    trainer.generatorOptimizer().learningRate(), trainer.criticOptimizer().learningRate(), trainer.completedSteps());
            report(run, 0, 0, Map.of("lr_decay", d.getFactor()), d.getDecisionId());
        }
    }

    /** Sends metrics to the run's watchers and the metrics topic; {@code decisionId} names a decay's report. */
    private void report(TrainingRun run, double stepsPerSecond, double eta, Map<String, Double> extra, String decisionId) {
        Run r = run.toProto(0);
        TrainingMetrics m = TrainingMetrics.newBuilder().setRunId(run.id).setGeneratorStep(r.getGeneratorStep())
                .setLosses(r.getLastLosses()).setLrGenerator(r.getLrGenerator()).setLrCritic(r.getLrCritic())
                .setSmmdLambda(r.getSmmdLambda()).setStepsPerSecond(stepsPerSecond).setEtaSeconds(eta).setState(r.getState())
                .setTimestamp(Timestamps.now()).putAllExtra(extra).build();
        run.report(m);
        events.metrics(m, decisionId);
    }
}
