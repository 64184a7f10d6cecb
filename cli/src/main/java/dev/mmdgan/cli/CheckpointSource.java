package dev.mmdgan.cli;

import dev.mmdgan.engine.checkpoint.Checkpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkpoint a command reads: a local checkpoint (or a run folder's newest), or a copy of one from the trainer's
 * store in a temporary folder, verified against its manifest and deleted on {@link #close}.
 */
final class CheckpointSource implements AutoCloseable {

    private final Path dir;
    private final String name;
    private final Path temporary;

    private CheckpointSource(Path dir, String name, Path temporary) {
        this.dir = dir;
        this.name = name;
        this.temporary = temporary;
    }

    /** {@code --checkpoint}: a local folder or an {@code s3://} address. */
    static CheckpointSource of(String checkpoint, StoreOptions store) {
        if (StoredCheckpoint.isAddress(checkpoint)) {
            return stored(StoredCheckpoint.parse(checkpoint), store);
        }
        Path resolved = Checkpoints.resolve(Path.of(checkpoint));
        return new CheckpointSource(resolved, resolved.toString(), null);
    }

    /** A checkpoint of a run in the --bucket of the store: at {@code step}, or the newest complete one when null. */
    static CheckpointSource ofRun(String runId, Long step, StoreOptions store) {
        return stored(new StoredCheckpoint(store.bucket, runId, step), store);
    }

    private static CheckpointSource stored(StoredCheckpoint wanted, StoreOptions options) {
        try (RunStore store = options.open(wanted.bucket())) {
            StoredCheckpoint found = store.locate(wanted);
            Path temporary = Files.createTempDirectory("mmdgan-checkpoint-");
            try {
                store.download(found, temporary);
            } catch (RuntimeException e) {
                Folders.deleteRecursively(temporary);
                throw e;
            }
            return new CheckpointSource(temporary, found.uri(), temporary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The local checkpoint folder. */
    Path dir() {
        return dir;
    }

    /** What to call it in reports: its local path or its s3:// address. */
    String name() {
        return name;
    }

    @Override
    public void close() {
        if (temporary != null) {
            Folders.deleteRecursively(temporary);
        }
    }
}
