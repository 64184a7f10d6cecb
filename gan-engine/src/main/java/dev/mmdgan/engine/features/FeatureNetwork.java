package dev.mmdgan.engine.features;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fixed map from samples to the features KID and the two-sample tests compare: a classifier's penultimate layer for
 * images, the identity for 2-D data. Every KID names the network it was computed on ({@code kid@fashion-mnist-cnn-v1}),
 * since KIDs on different networks cannot be compared.
 *
 * <p>Implementations are thread-safe and deterministic: the same samples give the same features.
 */
public interface FeatureNetwork extends AutoCloseable {

    /** Name and version, e.g. {@code fashion-mnist-cnn-v1} or {@code raw-2d}. */
    String name();

    /** Shape of one input sample, e.g. [1, 28, 28] (images in [-1, 1]) or [2]. */
    long[] inputShape();

    /** Columns of {@link #embed}'s result. */
    int featureDim();

    /**
     * Features of {@code samples}: rows of [n, prod(inputShape)] (as {@code GeneratorModel} returns them) or an array of
     * shape [n, inputShape...]; the result is [n, featureDim] float32.
     */
    INDArray embed(INDArray samples);

    /** The label of a KID computed on this network. */
    default String kidLabel() {
        return "kid@" + name();
    }

    @Override
    default void close() {
    }
}
