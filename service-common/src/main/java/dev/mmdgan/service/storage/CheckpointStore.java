package dev.mmdgan.service.storage;

import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.core.io.Sha256;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.service.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Checkpoints in the object store, laid out as {@code runs/{run_id}/checkpoints/{step}/…}: the engine's checkpoint
 * folder, with {@code MANIFEST.sha256} uploaded last and every object's size checked, so a checkpoint whose manifest
 * exists is complete. Downloads are verified against the manifest. Every service reads and writes checkpoints here.
 */
@ApplicationScoped
public class CheckpointStore {

    private final BlobStore blobs;
    private final Retry retry;

    @Inject
    public CheckpointStore(BlobStore blobs, Retry retry) {
        this.blobs = blobs;
        this.retry = retry;
    }

    /** A stored checkpoint: where it is, and its run description ({@code checkpoint.properties}). */
    public record Stored(CheckpointRef ref, Properties metadata) {
    }

    public static String runPrefix(String runId) {
        return "runs/" + runId + "/";
    }

    public static String checkpointPrefix(String runId, long step) {
        return runPrefix(runId) + "checkpoints/" + step + "/";
    }

    /** Whether the store answers now (for readiness probes). */
    public boolean reachable() {
        return blobs.reachable();
    }

    /**
     * Uploads checkpoint folder {@code dir} of run {@code runId} at {@code step}, retrying with backoff while
     * {@code keepTrying} says so; {@code onFailure} hears of every failed attempt.
     *
     * @return where it is, once every object is stored and its size checked
     */
    public CheckpointRef upload(String runId, long step, Path dir, BooleanSupplier keepTrying, Consumer<Exception> onFailure)
            throws InterruptedException {
        return retry.until(() -> uploadOnce(runId, step, dir), keepTrying, onFailure);
    }

    private CheckpointRef uploadOnce(String runId, long step, Path dir) throws Exception {
        blobs.ensureBucket();
        String prefix = checkpointPrefix(runId, step);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = new ArrayList<>(walk.filter(Files::isRegularFile).toList());
        }
        // The manifest last: its presence marks a complete checkpoint.
        files.sort(Comparator.comparing(f -> f.getFileName().toString().equals(Checkpoints.MANIFEST)));
        long total = 0;
        for (Path file : files) {
            String name = prefix + dir.relativize(file).toString().replace('\\', '/');
            blobs.put(name, file);
            long stored = blobs.size(name);
            if (stored != Files.size(file)) {
                throw new IOException("stored " + name + " has " + stored + " bytes, the file " + Files.size(file));
            }
            total += stored;
        }
        return CheckpointRef.newBuilder().setRunId(runId).setGeneratorStep(step).setUri(blobs.uri(prefix))
                .setManifestSha256(Sha256.of(dir.resolve(Checkpoints.MANIFEST))).setSizeBytes(total)
                .setCreatedAt(Timestamps.now()).build();
    }

    /** The newest complete checkpoint's step of a run, if it has one. */
    public Optional<Long> latestStep(String runId) throws Exception {
        long best = -1;
        for (BlobStore.Blob blob : blobs.list(runPrefix(runId) + "checkpoints/")) {
            if (blob.name().endsWith("/" + Checkpoints.MANIFEST)) {
                String[] parts = blob.name().split("/");
                best = Math.max(best, Long.parseLong(parts[parts.length - 2]));
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(best);
    }

    /** Downloads one checkpoint into {@code target} (created) and verifies it against its manifest. */
    public Path download(String runId, long step, Path target) throws Exception {
        String prefix = checkpointPrefix(runId, step);
        List<BlobStore.Blob> objects = blobs.list(prefix);
        if (objects.stream().noneMatch(b -> b.name().equals(prefix + Checkpoints.MANIFEST))) {
            throw new IOException("no complete checkpoint at " + blobs.uri(prefix));
        }
        for (BlobStore.Blob blob : objects) {
            blobs.download(blob.name(), target.resolve(blob.name().substring(prefix.length())));
        }
        Checkpoints.verify(target);
        return target;
    }

    /** Describes the complete checkpoint of {@code runId} at {@code step} from the store alone. */
    public Stored describe(String runId, long step) throws Exception {
        String prefix = checkpointPrefix(runId, step);
        long total = 0;
        Instant created = Instant.EPOCH;
        for (BlobStore.Blob blob : blobs.list(prefix)) {
            total += blob.size();
            if (blob.name().endsWith("/" + Checkpoints.MANIFEST)) {
                created = blob.lastModified();
            }
        }
        byte[] manifest = blobs.get(prefix + Checkpoints.MANIFEST);
        Properties metadata = new Properties();
        metadata.load(new ByteArrayInputStream(blobs.get(prefix + Checkpoints.METADATA)));
        CheckpointRef ref = CheckpointRef.newBuilder().setRunId(runId).setGeneratorStep(step).setUri(blobs.uri(prefix))
                .setManifestSha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest)))
                .setSizeBytes(total).setCreatedAt(Timestamps.of(created)).build();
        return new Stored(ref, metadata);
    }

    /** Object names under a prefix. */
    public List<String> list(String prefix) throws Exception {
        return blobs.list(prefix).stream().map(BlobStore.Blob::name).toList();
    }
}
