package dev.mmdgan.cli;

import dev.mmdgan.engine.checkpoint.Checkpoints;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The trainer service's checkpoint store, read through the MinIO client: which checkpoints of a run are complete, and
 * downloading one. The layout is the trainer's ({@code runs/{run_id}/checkpoints/{step}/…}, the manifest uploaded
 * last, so a checkpoint is complete exactly when its {@code MANIFEST.sha256} exists). Every failure becomes a one-line
 * {@link CliErrors.Failure}: an unknown run, no complete checkpoint, an unreachable or refusing store.
 */
final class RunStore implements AutoCloseable {

    /** Connecting gives up after this long, so a store on a vanished host fails the command instead of hanging it. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern MANIFEST = Pattern.compile("runs/[^/]+/checkpoints/(\\d+)/" + Pattern.quote(Checkpoints.MANIFEST));

    private final MinioClient client;
    private final String endpoint;
    private final String bucket;

    RunStore(String endpoint, String accessKey, String secretKey, String bucket) {
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.client = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).region("us-east-1").build();
        client.setTimeout(CONNECT_TIMEOUT.toMillis(), TRANSFER_TIMEOUT.toMillis(), TRANSFER_TIMEOUT.toMillis());
    }

    String bucket() {
        return bucket;
    }

    /** The complete checkpoint {@code wanted} names: at its step, or the newest one when it names none. */
    StoredCheckpoint locate(StoredCheckpoint wanted) {
        TreeSet<Long> complete = new TreeSet<>();
        for (String name : list(wanted.runPrefix() + "checkpoints/")) {
            Matcher m = MANIFEST.matcher(name);
            if (m.matches()) {
                complete.add(Long.valueOf(m.group(1)));
            }
        }
        if (complete.isEmpty()) {
            if (!anyUnder(wanted.runPrefix())) {
                throw new CliErrors.Failure("no run " + wanted.runId() + " in bucket " + bucket + " of the store at " + endpoint
                        + " (nothing under " + wanted.runPrefix() + ")");
            }
            throw new CliErrors.Failure("run " + wanted.runId() + " has no complete checkpoint yet in s3://" + bucket + "/"
                    + wanted.runPrefix() + "checkpoints/ (one is complete once its " + Checkpoints.MANIFEST + " is uploaded)");
        }
        if (wanted.step() == null) {
            return wanted.atStep(complete.last());
        }
        if (!complete.contains(wanted.step())) {
            throw new CliErrors.Failure("run " + wanted.runId() + " has no complete checkpoint at step " + wanted.step()
                    + "; complete ones are at steps " + describe(complete));
        }
        return wanted;
    }

    /** Downloads a located checkpoint's files into folder {@code target} (made if missing) and verifies them. */
    Path download(StoredCheckpoint checkpoint, Path target) {
        String prefix = checkpoint.prefix();
        Path root = target.toAbsolutePath().normalize();
        for (String name : list(prefix)) {
            Path file = root.resolve(name.substring(prefix.length())).normalize();
            if (!file.startsWith(root) || file.equals(root)) {
                throw new CliErrors.Failure("refusing to download " + name + ": its name leads outside the checkpoint folder");
            }
            try {
                Files.createDirectories(file.getParent());
                try (InputStream in = call(() -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(name).build()))) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new CliErrors.Failure("downloading " + checkpoint.uri() + " failed at " + name + ": " + e.getMessage());
            }
        }
        Checkpoints.verify(target); // every file against the manifest: a short or altered download is an error naming the file
        return target;
    }

    /** Names of the objects under a prefix. */
    private List<String> list(String prefix) {
        return call(() -> {
            List<String> names = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                names.add(r.get().objectName());
            }
            return names;
        });
    }

    private boolean anyUnder(String prefix) {
        return call(() -> {
            Iterator<Result<Item>> first = client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).maxKeys(1).build())
                    .iterator();
            return first.hasNext() && first.next().get() != null;
        });
    }

    private interface StoreCall<T> {
        T run() throws MinioException;
    }

    /** One request to the store, its failure in words. */
    private <T> T call(StoreCall<T> request) {
        try {
            return request.run();
        } catch (MinioException e) {
            throw explain(e);
        } catch (RuntimeException e) {
            // Listing fails inside the iterator, wrapped in an unchecked exception.
            if (e.getCause() instanceof MinioException m) {
                throw explain(m);
            }
            if (ioCause(e) != null) {
                throw unreachable(ioCause(e));
            }
            throw e;
        }
    }

    private CliErrors.Failure explain(MinioException e) {
        if (e instanceof ErrorResponseException answer) {
            String code = answer.errorResponse().code();
            return new CliErrors.Failure(switch (code) {
                case "NoSuchBucket" -> "the store at " + endpoint + " has no bucket " + bucket + " (--bucket, $MMDGAN_STORE_BUCKET)";
                case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch" -> "the store at " + endpoint + " refused the credentials ("
                        + code + "): check --s3-access-key and --s3-secret-key ($MMDGAN_S3_ACCESS_KEY, $MMDGAN_S3_SECRET_KEY)";
                default -> "the store at " + endpoint + " answered " + code + ": " + answer.errorResponse().message();
            });
        }
        IOException io = ioCause(e);
        return io != null ? unreachable(io) : new CliErrors.Failure("the store at " + endpoint + " failed: " + e.getMessage());
    }

    private CliErrors.Failure unreachable(IOException e) {
        return new CliErrors.Failure("cannot reach the store at " + endpoint + " (" + e.getMessage()
                + "); is it running? (--s3-endpoint, $MMDGAN_S3_ENDPOINT)");
    }

    private static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    private static String describe(TreeSet<Long> steps) {
        String listed = steps.descendingSet().stream().limit(10).map(String::valueOf).collect(Collectors.joining(", "));
        return steps.size() > 10 ? listed + " … (newest first, " + steps.size() + " in all)" : listed;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            // nothing held that outlives the command
        }
    }
}
