package dev.mmdgan.engine.checkpoint;

import dev.mmdgan.engine.BuildInfo;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.RunSpec;
import java.util.Properties;

/**
 * Where a checkpoint came from, as its {@code checkpoint.properties} records it: the code (version and git commit),
 * the data (identity and SHA-256), the run configuration (SHA-256 of {@link RunSpec#canonicalText()}), the step and the
 * architecture. Checkpoints of format 1 lack the commit and both hashes: those read as {@link #UNKNOWN}.
 *
 * @param codeVersion   Maven project version of the code that wrote the checkpoint
 * @param gitCommit     full SHA-1 of the commit the code was built from
 * @param dataset       data set identity, e.g. {@code moons(n=10000, noise=0.1, seed=0)}
 * @param datasetSha256 SHA-256 of the files the data was read from, or of the generating parameters
 * @param configSha256  SHA-256 of the run description's canonical text
 * @param step          generator steps trained
 * @param architecture  architecture name, e.g. {@code mlp-2d}
 */
public record CheckpointProvenance(String codeVersion, String gitCommit, String dataset, String datasetSha256,
                                   String configSha256, long step, String architecture) {

    public static final String UNKNOWN = "unknown";

    /** The {@code checkpoint.properties} keys of each field. */
    public static final String CODE_VERSION = "code.version";
    public static final String GIT_COMMIT = "code.git_commit";
    public static final String DATASET = "dataset.identity";
    public static final String DATASET_SHA256 = "dataset.sha256";
    public static final String CONFIG_SHA256 = "config.sha256";
    public static final String STEP = "step";
    public static final String ARCHITECTURE = "architecture";

    /** The provenance of a checkpoint of {@code trainer} taken now, for a run described by {@code spec}. */
    public static CheckpointProvenance of(MmdGanTrainer trainer, RunSpec spec) {
        return new CheckpointProvenance(BuildInfo.codeVersion(), BuildInfo.gitCommit(), trainer.data().identity(),
                trainer.data().sha256(), spec.configSha256(), trainer.completedSteps(), spec.architecture());
    }

    /** Reads the provenance from a checkpoint's metadata; a field it lacks (format 1) reads as {@link #UNKNOWN}. */
    public static CheckpointProvenance of(Properties checkpointMetadata) {
        String step = checkpointMetadata.getProperty(STEP);
        if (step == null) {
            throw new IllegalArgumentException(Checkpoints.METADATA + " lacks '" + STEP + "'");
        }
        return new CheckpointProvenance(get(checkpointMetadata, CODE_VERSION), get(checkpointMetadata, GIT_COMMIT),
                get(checkpointMetadata, DATASET), get(checkpointMetadata, DATASET_SHA256), get(checkpointMetadata, CONFIG_SHA256),
                Long.parseLong(step), get(checkpointMetadata, ARCHITECTURE));
    }

    /** Writes every field under its key. */
    void writeTo(Properties p) {
        p.setProperty(CODE_VERSION, codeVersion);
        p.setProperty(GIT_COMMIT, gitCommit);
        p.setProperty(DATASET, dataset);
        p.setProperty(DATASET_SHA256, datasetSha256);
        p.setProperty(CONFIG_SHA256, configSha256);
        p.setProperty(STEP, Long.toString(step));
        p.setProperty(ARCHITECTURE, architecture);
    }

    private static String get(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? UNKNOWN : v;
    }
}
