package dev.mmdgan.trainer.training;

import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.service.health.BackgroundWork;
import dev.mmdgan.service.storage.CheckpointStore;
import dev.mmdgan.service.storage.Retry;
import dev.mmdgan.trainer.TrainerConfig;
import dev.mmdgan.trainer.events.TrainerEvents;
import dev.mmdgan.trainer.storage.RunRecords;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Brings back the runs of a previous instance from their records in the store, retrying until the store answers;
 * the service reports itself not ready until this is done.
 * <ul>
 *   <li>QUEUED and RUNNING runs go back to the queue and continue from their newest stored checkpoint. A run that
 *       had trained past that checkpoint says so in its RUNNING → QUEUED event, since its step goes back.</li>
 *   <li>A run that was STOPPING stays stopped, at its newest stored checkpoint.</li>
 *   <li>For each of these, the newest checkpoint's event is published again (same event id): a crash between its
 *       upload and its event cannot lose it.</li>
 * </ul>
 */
@ApplicationScoped
public class RunRecovery {

    private static final Logger LOG = Logger.getLogger(RunRecovery.class);

    @Inject
    TrainerConfig config;

    @Inject
    CheckpointStore store;

    @Inject
    RunRecords records;

    @Inject
    Retry retry;

    @Inject
    TrainerEvents events;

    @Inject
    BackgroundWork background;

    private volatile boolean done;
    private volatile boolean shuttingDown;
    private Thread thread;

    void start(RunManager manager) {
        thread = background.start("run-recovery", () -> recover(manager));
    }

    void shutDown() {
        shuttingDown = true;
        thread.interrupt();
    }

    boolean done() {
        return done;
    }

    private void recover(RunManager manager) {
        try {
            List<Run> stored = retrying("read the run records", records::loadAll);
            int resumed = 0;
            for (Run record : stored) {
                if (manager.knows(record.getRunId())) {
                    continue;
                }
                try {
                    resumed += adopt(manager, record) ? 1 : 0;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    LOG.errorf(e, "stored run %s could not be recovered", record.getRunId());
                }
            }
            done = true;
            LOG.infof("ready: %d runs read from the store, %d of them back in the queue", stored.size(), resumed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down
        }
    }

    /** Adds one stored run; returns whether it was queued to train again. */
    private boolean adopt(RunManager manager, Run record) throws InterruptedException {
        RunSpec spec = null;
        String invalid = null;
        try {
            spec = RunConfigValidator.validate(record.getConfig(), config.dataRoots());
        } catch (RunConfigValidator.InvalidRunConfig e) {
            invalid = e.getMessage(); // e.g. its data root is no longer configured: kept, and failed if it was live
        }
        TrainingRun run = TrainingRun.fromRecord(record, spec);
        manager.adopt(run);
        RunState state = record.getState();
        if (state != RunState.RUN_STATE_QUEUED && state != RunState.RUN_STATE_RUNNING && state != RunState.RUN_STATE_STOPPING) {
            return false;
        }
        String id = run.id;
        Optional<Long> latest = retrying("find run " + id + "'s checkpoints", () -> store.latestStep(id));
        if (latest.isPresent()) {
            CheckpointStore.Stored stored = retrying("read run " + id + "'s checkpoint", () -> store.describe(id, latest.get()));
            run.checkpointed(stored.ref());
            events.checkpointPublished(stored.ref(), stored.metadata(), 0, record.getConfig());
        }
        long checkpointStep = latest.orElse(0L);
        long reached = run.step();
        if (invalid != null) {
            TrainingRun.StateChange change = run.failWith("the run's config is no longer valid: " + invalid);
            manager.changed(run, change, "failed after a restart: " + invalid);
            return false;
        }
        if (state == RunState.RUN_STATE_STOPPING) {
            run.rewindTo(checkpointStep);
            manager.changed(run, run.transition(RunState.RUN_STATE_STOPPED), "the service restarted while the run was stopping; "
                    + "it stays stopped at its newest stored checkpoint (step " + checkpointStep + ")");
            return false;
        }
        if (state == RunState.RUN_STATE_RUNNING) {
            run.rewindTo(checkpointStep);
            manager.changed(run, run.transition(RunState.RUN_STATE_QUEUED), "the service restarted; the run continues from "
                    + "its checkpoint at step " + checkpointStep + (reached > checkpointStep ? " (it had reached step " + reached + ")" : ""));
        }
        LOG.infof("run %s was %s before the restart: resuming it from step %d", id, state, checkpointStep);
        manager.submit(run, true);
        return true;
    }

    /** Calls {@code call} until it succeeds, with the store's backoff; interrupted once the service shuts down. */
    private <T> T retrying(String what, Retry.Attempt<T> call) throws InterruptedException {
        try {
            return retry.until(call, () -> !shuttingDown, e -> LOG.warnf("cannot %s yet (%s); retrying", what, e.getMessage()));
        } catch (UncheckedIOException e) {
            throw new InterruptedException("shutting down");
        }
    }
}
