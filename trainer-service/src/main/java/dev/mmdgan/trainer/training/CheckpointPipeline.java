package dev.mmdgan.trainer.training;

import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.service.Timestamps;
import dev.mmdgan.service.metrics.ServiceMetrics;
import dev.mmdgan.service.storage.CheckpointStore;
import dev.mmdgan.trainer.TrainerMetrics;
import dev.mmdgan.trainer.events.TrainerEvents;
import dev.mmdgan.trainer.storage.RunRecords;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Checkpoints and run records on their way to the store, off the training threads and in order: a checkpoint is
 * written locally, uploaded (retrying while the store is away), announced on Kafka, and then its local copy is
 * deleted, since a resume always starts from the store. Run records go through the same queue, so a record never
 * names a checkpoint that is not stored yet.
 */
@ApplicationScoped
public class CheckpointPipeline {

    private static final Logger LOG = Logger.getLogger(CheckpointPipeline.class);

    @Inject
    CheckpointStore store;

    @Inject
    TrainerEvents events;

    @Inject
    TrainerMetrics metrics;

    @Inject
    TrainerFactory trainers;

    @Inject
    RunRecords records;

    @Inject
    ServiceMetrics serviceMetrics;

    private ExecutorService uploads;
    private volatile boolean closing;

    @PostConstruct
    void init() {
        uploads = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "checkpoint-upload");
            t.setDaemon(true);
            return t;
        });
    }

    /** Lets queued uploads finish for a while, then stops retrying. Called by the run manager at shutdown. */
    void close() throws InterruptedException {
        uploads.shutdown();
        if (!uploads.awaitTermination(20, TimeUnit.SECONDS)) {
            closing = true;
            uploads.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Saves a checkpoint of {@code trainer} locally now; uploads and announces it in the background. */
    Future<?> checkpoint(TrainingRun run, MmdGanTrainer trainer, Path workDir) {
        Path dir = Checkpoints.save(trainer, run.spec(), workDir);
        long step = trainer.completedSteps();
        return submit("checkpoint " + step + " of run " + run.id, () -> {
            Properties meta = Checkpoints.metadata(dir); // verifies every file: off the training thread
            long t = System.nanoTime();
            CheckpointRef ref = store.upload(run.id, step, dir, () -> !closing, e -> {
                metrics.uploadFailed();
                LOG.warnf("run %s: checkpoint %d upload failed (will retry): %s", run.id, step, e.getMessage());
            });
            metrics.uploaded(Duration.ofNanos(System.nanoTime() - t));
            run.checkpointed(ref);
            events.checkpointPublished(ref, meta, (System.nanoTime() - t) / 1_000_000, run.config());
            LOG.infof("run %s: checkpoint %d stored (%s)", run.id, step, ref.getUri());
            deleteRecursively(dir);
            records.save(run.toProto(0), () -> !closing);
        });
    }

    /** Stores a run's record (in order with its checkpoints). */
    void saveRecord(Run record) {
        submit("the record of run " + record.getRunId(), () -> records.save(record, () -> !closing));
    }

    /** Deletes a finished run's local folder once the uploads queued before have read from it. */
    void discardLocal(Path workDir) {
        submit("deleting " + workDir, () -> deleteRecursively(workDir));
    }

    private interface Task {
        void run() throws Exception;
    }

    /** Queues a task; whatever it throws is logged and counted, and also fails its future. */
    private Future<?> submit(String what, Task task) {
        return uploads.submit(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                serviceMetrics.backgroundError("checkpoint-upload");
                LOG.errorf(t, "%s failed", what);
                throw t;
            }
            return null;
        });
    }

    /** A trainer from the run's newest stored checkpoint, or a new one when it has none. */
    MmdGanTrainer restoreLatest(TrainingRun run, Path workDir) throws Exception {
        Optional<Long> latest = store.latestStep(run.id);
        if (latest.isEmpty()) {
            LOG.infof("run %s has no stored checkpoint: starting it from step 0", run.id);
            return trainers.create(run.spec());
        }
        Path dir = store.download(run.id, latest.get(), workDir.resolve("restored-" + latest.get()));
        try {
            return trainers.restore(dir);
        } finally {
            deleteRecursively(dir);
        }
    }

    /** Removes a folder and everything in it, if it exists. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
