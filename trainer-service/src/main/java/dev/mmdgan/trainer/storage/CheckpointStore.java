package dev.mmdgan.trainer.storage;

import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.trainer.Timestamps;
import dev.mmdgan.trainer.TrainerConfig;
import io.minio.BucketExistsArgs;
import io.minio.DownloadObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.messages.Item;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Checkpoints and run records in the S3-compatible store, through the MinIO client.
 *
 * <p>Layout in the bucket: {@code runs/{run_id}/run.binpb} (the run's last known state, a {@link Run} message) and
 * {@code runs/{run_id}/checkpoints/{step}/…} (the checkpoint's files). The manifest is uploaded last and each
 * object's size is checked after upload, so a checkpoint whose {@code MANIFEST.sha256} exists is complete.
 */
@ApplicationScoped
public class CheckpointStore {

    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);

    @Inject
    TrainerConfig config;

    private MinioClient client;
    private String bucket;
    private volatile boolean bucketReady;

    @PostConstruct
    void init() {
        TrainerConfig.Store store = config.store();
        client = MinioClient.builder().endpoint(store.endpoint()).credentials(store.accessKey(), store.secretKey())
                .region("us-east-1").build();
        bucket = store.bucket();
    }

    /** Whether the store answers now (for the readiness check): a real request, not the cached bucket check. */
    public boolean reachable() {
        try {
            client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static String checkpointPrefix(String runId, long step) {
        return "runs/" + runId + "/checkpoints/" + step + "/";
    }

    /**
     * Uploads checkpoint folder {@code dir} of run {@code runId} at {@code step}, retrying with exponential backoff
     * while {@code keepTrying} says so; {@code onFailure} hears of every failed attempt.
     *
     * @return where it is, once every object is stored and verified
     */
    public CheckpointRef upload(String runId, long step, Path dir, BooleanSupplier keepTrying,
                                java.util.function.Consumer<Exception> onFailure) throws InterruptedException {
        return retrying(() -> uploadOnce(runId, step, dir), keepTrying, onFailure);
    }

    private CheckpointRef uploadOnce(String runId, long step, Path dir) throws Exception {
        ensureBucket();
        String prefix = checkpointPrefix(runId, step);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = new ArrayList<>(walk.filter(Files::isRegularFile).toList());
        }
        // The manifest last: its presence marks a complete checkpoint.
        files.sort(Comparator.comparing(f -> f.getFileName().toString().equals(Checkpoints.MANIFEST)));
        long total = 0;
        for (Path file : files) {
            String key = prefix + dir.relativize(file).toString().replace('\\', '/');
            client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString()).build());
            long size = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size();
            if (size != Files.size(file)) {
                throw new IOException("stored " + key + " has " + size + " bytes, the file " + Files.size(file));
            }
            total += size;
        }
        return CheckpointRef.newBuilder().setRunId(runId).setGeneratorStep(step).setUri("s3://" + bucket + "/" + prefix)
                .setManifestSha256(dev.mmdgan.core.io.Sha256.of(dir.resolve(Checkpoints.MANIFEST))).setSizeBytes(total)
                .setCreatedAt(Timestamps.now()).build();
    }

    /** The newest complete checkpoint's step of a run, if it has one. */
    public Optional<Long> latestStep(String runId) throws Exception {
        ensureBucket();
        long best = -1;
        for (String name : list("runs/" + runId + "/checkpoints/")) {
            if (name.endsWith("/" + Checkpoints.MANIFEST)) {
                String[] parts = name.split("/");
                best = Math.max(best, Long.parseLong(parts[parts.length - 2]));
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(best);
    }

    /** A stored checkpoint: where it is, and its run description ({@code checkpoint.properties}). */
    public record Stored(CheckpointRef ref, Properties metadata) {
    }

    /** Describes the complete checkpoint of {@code runId} at {@code step} from the store alone. */
    public Stored describe(String runId, long step) throws Exception {
        String prefix = checkpointPrefix(runId, step);
        long total = 0;
        Instant created = Instant.EPOCH;
        for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
            Item item = r.get();
            total += item.size();
            if (item.objectName().endsWith("/" + Checkpoints.MANIFEST) && item.lastModified() != null) {
                created = item.lastModified().toInstant();
            }
        }
        byte[] manifest = read(prefix + Checkpoints.MANIFEST);
        Properties metadata = new Properties();
        metadata.load(new ByteArrayInputStream(read(prefix + Checkpoints.METADATA)));
        CheckpointRef ref = CheckpointRef.newBuilder().setRunId(runId).setGeneratorStep(step).setUri("s3://" + bucket + "/" + prefix)
                .setManifestSha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest)))
                .setSizeBytes(total).setCreatedAt(Timestamps.of(created)).build();
        return new Stored(ref, metadata);
    }

    private byte[] read(String object) throws Exception {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(object).build())) {
            return in.readAllBytes();
        }
    }

    /** Downloads one checkpoint into {@code target} (created), returning it. */
    public Path download(String runId, long step, Path target) throws Exception {
        String prefix = checkpointPrefix(runId, step);
        for (String name : list(prefix)) {
            Path file = target.resolve(name.substring(prefix.length()));
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            client.downloadObject(DownloadObjectArgs.builder().bucket(bucket).object(name).filename(file.toString()).build());
        }
        return target;
    }

    /** Saves a run's record (retrying like uploads). */
    public void saveRun(Run run, BooleanSupplier keepTrying) throws InterruptedException {
        byte[] bytes = run.toByteArray();
        retrying(() -> {
            ensureBucket();
            client.putObject(PutObjectArgs.builder().bucket(bucket).object("runs/" + run.getRunId() + "/run.binpb")
                    .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L).build());
            return null;
        }, keepTrying, e -> LOG.warnf("saving run %s to the store failed (will retry): %s", run.getRunId(), e.getMessage()));
    }

    /** Every run record in the store. */
    public List<Run> loadRuns() throws Exception {
        ensureBucket();
        List<Run> runs = new ArrayList<>();
        for (String name : list("runs/")) {
            if (name.endsWith("/run.binpb")) {
                try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(name).build())) {
                    runs.add(Run.parseFrom(in));
                }
            }
        }
        return runs;
    }

    /** Object names under a prefix. */
    public List<String> list(String prefix) throws Exception {
        List<String> names = new ArrayList<>();
        for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
            names.add(r.get().objectName());
        }
        return names;
    }

    private void ensureBucket() throws Exception {
        if (!bucketReady) {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
            bucketReady = true;
        }
    }

    private interface Attempt<T> {
        T run() throws Exception;
    }

    private <T> T retrying(Attempt<T> attempt, BooleanSupplier keepTrying, java.util.function.Consumer<Exception> onFailure)
            throws InterruptedException {
        Duration delay = config.store().retryDelay();
        while (true) {
            try {
                return attempt.run();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                bucketReady = false;
                onFailure.accept(e);
                if (!keepTrying.getAsBoolean()) {
                    throw new UncheckedIOException(new IOException("store unavailable: " + e.getMessage(), e));
                }
                Thread.sleep(delay.toMillis());
                delay = delay.multipliedBy(2).compareTo(config.store().maxRetryDelay()) > 0 ? config.store().maxRetryDelay()
                        : delay.multipliedBy(2);
            }
        }
    }
}
