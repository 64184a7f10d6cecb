package dev.mmdgan.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the trainer service keeps its checkpoints (a picocli mixin): the S3 endpoint, credentials and bucket, with the
 * trainer's own environment variables as defaults, so a shell set up for the service needs no options.
 */
final class StoreOptions {

    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:9000";
    static final String DEFAULT_BUCKET = "mmdgan";

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "S3 endpoint of the trainer's store (default: $MMDGAN_S3_ENDPOINT or " + DEFAULT_ENDPOINT + ").")
    String endpoint = env("MMDGAN_S3_ENDPOINT").orElse(DEFAULT_ENDPOINT);

    @Option(names = "--s3-access-key", paramLabel = "KEY", description = "Store access key (default: $MMDGAN_S3_ACCESS_KEY).")
    String accessKey = env("MMDGAN_S3_ACCESS_KEY").orElse(null);

    @Option(names = "--s3-secret-key", paramLabel = "SECRET",
            description = "Store secret key (default: $MMDGAN_S3_SECRET_KEY; prefer the variable, options show in process lists).")
    String secretKey = env("MMDGAN_S3_SECRET_KEY").orElse(null);

    @Option(names = "--bucket", paramLabel = "NAME",
            description = "Bucket of the trainer's runs (default: $MMDGAN_STORE_BUCKET or " + DEFAULT_BUCKET + "); an s3:// address names its own.")
    String bucket = env("MMDGAN_STORE_BUCKET").orElse(DEFAULT_BUCKET);

    /** The store's bucket {@code bucketName} (null: the --bucket one). */
    RunStore open(String bucketName) {
        if (accessKey == null || secretKey == null) {
            throw new CliErrors.Failure("no credentials for the store at " + endpoint
                    + ": set MMDGAN_S3_ACCESS_KEY and MMDGAN_S3_SECRET_KEY (or --s3-access-key and --s3-secret-key)");
        }
        return new RunStore(endpoint, accessKey, secretKey, bucketName == null ? bucket : bucketName);
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }
}
