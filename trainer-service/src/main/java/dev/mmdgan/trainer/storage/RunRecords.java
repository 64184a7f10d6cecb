package dev.mmdgan.trainer.storage;

import dev.mmdgan.api.v1.Run;
import dev.mmdgan.service.storage.BlobStore;
import dev.mmdgan.service.storage.CheckpointStore;
import dev.mmdgan.service.storage.Retry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Run records in the object store: {@code runs/{run_id}/run.binpb}, the run's last known state (a {@link Run}
 * message), beside its checkpoints. A restarted trainer reads them back.
 */
@ApplicationScoped
public class RunRecords {

    private static final Logger LOG = Logger.getLogger(RunRecords.class);
    private static final String RECORD = "run.binpb";

    private final BlobStore blobs;
    private final Retry retry;

    @Inject
    public RunRecords(BlobStore blobs, Retry retry) {
        this.blobs = blobs;
        this.retry = retry;
    }

    /** Saves a run's record, retrying while {@code keepTrying} says so. */
    public void save(Run run, BooleanSupplier keepTrying) throws InterruptedException {
        byte[] bytes = run.toByteArray();
        retry.until(() -> {
            blobs.ensureBucket();
            blobs.put(CheckpointStore.runPrefix(run.getRunId()) + RECORD, bytes);
            return null;
        }, keepTrying, e -> LOG.warnf("saving run %s to the store failed (will retry): %s", run.getRunId(), e.getMessage()));
    }

    /** Every run record in the store (one attempt: the caller decides how to retry). */
    public List<Run> loadAll() throws Exception {
        blobs.ensureBucket();
        List<Run> runs = new ArrayList<>();
        for (BlobStore.Blob blob : blobs.list("runs/")) {
            if (blob.name().endsWith("/" + RECORD)) {
                runs.add(Run.parseFrom(blobs.get(blob.name())));
            }
        }
        return runs;
    }
}
