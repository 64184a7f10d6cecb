package dev.mmdgan.engine.graph;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** A generator/critic pair of docs/methods.md §5. Implementations are immutable presets. */
public interface Architecture {

    /** Registry name, e.g. {@code mlp-2d}. */
    String name();

    /** Dimension of the noise z. */
    int noiseDim();

    /** Shape of one sample: [features] for vectors, [channels, height, width] for images. */
    long[] sampleShape();

    /** Number of values in one sample (the generator's flattened output). */
    default int sampleSize() {
        return (int) Arrays.stream(sampleShape()).reduce(1, (a, b) -> a * b);
    }

    /** Dimension s of the critic's output features. */
    int criticOutputDim();

    /** Creates and initializes both networks' weights (and the generator's batch-norm statistics). */
    void initialize(Parameters generator, Parameters critic, Random random);

    /**
     * G(z): [batch, noiseDim] → [batch, sampleSize]. In a {@code training} graph batch norm uses the batch's
     * statistics (and records them, see {@link Parameters#batchStatistics}); otherwise the running ones.
     */
    SDVariable generator(SameDiff sd, SDVariable z, Parameters weights, boolean training);

    /** The critic applied to x [batch, sampleSize]. Build one pass per input and reuse it. */
    CriticPass critic(SameDiff sd, SDVariable x, Parameters weights);
}
