package dev.mmdgan.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checkpoint folder in the trainer's store, {@code s3://BUCKET/runs/RUN_ID/checkpoints/STEP/}, or what an address
 * asks for: a run's checkpoint at one step, or (no step) its newest complete one.
 *
 * @param bucket the bucket
 * @param runId  the run
 * @param step   the generator step, or null for the newest complete checkpoint
 */
record StoredCheckpoint(String bucket, String runId, Long step) {

    private static final Pattern ADDRESS = Pattern.compile("s3://([^/]+)/runs/([^/]+)(?:/checkpoints/(\\d+))?/?");
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    StoredCheckpoint {
        if (!RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("'" + runId + "' is not a run id (letters, digits, '.', '_' and '-')");
        }
        if (step != null && step < 0) {
            throw new IllegalArgumentException("--step must be ≥ 0, got " + step);
        }
    }

    /** The checkpoint an address names: {@code s3://BUCKET/runs/ID/checkpoints/STEP} or {@code s3://BUCKET/runs/ID} (newest). */
    static StoredCheckpoint parse(String address) {
        Matcher m = ADDRESS.matcher(address);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + address + "' is not a checkpoint address of the trainer's store; expected "
                    + "s3://BUCKET/runs/RUN_ID/checkpoints/STEP (or s3://BUCKET/runs/RUN_ID for its newest checkpoint)");
        }
        return new StoredCheckpoint(m.group(1), m.group(2), m.group(3) == null ? null : Long.valueOf(m.group(3)));
    }

    static boolean isAddress(String text) {
        return text.startsWith("s3://");
    }

    /** The run's folder in the bucket, {@code runs/ID/}. */
    String runPrefix() {
        return "runs/" + runId + "/";
    }

    /** The checkpoint's folder in the bucket, {@code runs/ID/checkpoints/STEP/} (the step must be known). */
    String prefix() {
        return runPrefix() + "checkpoints/" + step + "/";
    }

    StoredCheckpoint atStep(long chosen) {
        return new StoredCheckpoint(bucket, runId, chosen);
    }

    String uri() {
        return "s3://" + bucket + "/" + (step == null ? runPrefix() : prefix());
    }
}
