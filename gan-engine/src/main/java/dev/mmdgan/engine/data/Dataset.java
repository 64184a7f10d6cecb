package dev.mmdgan.engine.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A data set ready for training: rows of {@code train} and {@code holdout} are samples, flattened to
 * [n, features]; images are scaled to [−1, 1] and {@code sampleShape} says how to view a row.
 *
 * @param name        registry name, e.g. {@code moons}
 * @param identity    what the data came from, for provenance: generator parameters or a SHA-256 of the files
 * @param sha256      one SHA-256 of what the data was made from, for provenance: of the files it was read from
 *                    (their contents concatenated in reading order), or of the generating parameters for generated data
 * @param train       [n, features] float32 training samples
 * @param holdout     [k, features] float32 samples kept out of training, for evaluation
 * @param sampleShape the shape of one sample, e.g. [2] or [1, 28, 28]
 */
public record Dataset(String name, String identity, String sha256, INDArray train, INDArray holdout, long[] sampleShape) {

    /** Written where the data's origin has no hash (data made in memory, e.g. by benchmarks and tests). */
    public static final String UNKNOWN_SHA256 = "unknown";

    /** Data made in memory: its SHA-256 is {@link #UNKNOWN_SHA256}. */
    public Dataset(String name, String identity, INDArray train, INDArray holdout, long[] sampleShape) {
        this(name, identity, UNKNOWN_SHA256, train, holdout, sampleShape);
    }

    public int features() {
        return (int) train.columns();
    }

    /** Row indices of one batch drawn with replacement. */
    public int[] batchIndices(SplittableRandom random, int batch) {
        int[] idx = new int[batch];
        Arrays.setAll(idx, i -> random.nextInt((int) train.rows()));
        return idx;
    }
}
