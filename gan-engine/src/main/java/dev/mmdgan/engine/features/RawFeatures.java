package dev.mmdgan.engine.features;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The identity feature map of low-dimensional data (moons): KID and the tests then compare the samples themselves. */
public final class RawFeatures implements FeatureNetwork {

    private final int dim;

    public RawFeatures(int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("dimension must be positive, got " + dim);
        }
        this.dim = dim;
    }

    @Override
    public String name() {
        return "raw-" + dim + "d";
    }

    @Override
    public long[] inputShape() {
        return new long[] {dim};
    }

    @Override
    public int featureDim() {
        return dim;
    }

    @Override
    public INDArray embed(INDArray samples) {
        long rows = samples.size(0);
        if (samples.length() != rows * dim) {
            throw new IllegalArgumentException("samples of shape " + Arrays.toString(samples.shape()) + " are not rows of "
                    + dim + " features");
        }
        return samples.reshape('c', rows, dim).castTo(DataType.FLOAT).dup('c');
    }
}
