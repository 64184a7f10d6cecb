package dev.mmdgan.engine.graph;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** A generator/critic pair of METHODS.md §5. Implementations are immutable presets. */
public interface Architecture {

    /** Registry name, e.g. {@code mlp-2d}. */
    String name();

    /** Dimension of the noise z. */
    int noiseDim();

    /** Number of values in one sample (the generator's flattened output). */
    int sampleSize();

    /** Dimension s of the critic's output features. */
    int criticOutputDim();

    /** Creates and initializes both networks' weights. */
    void initialize(Parameters generator, Parameters critic, Random random);

    /** G(z): [batch, noiseDim] → [batch, sampleSize]. */
    SDVariable generator(SameDiff sd, SDVariable z, Parameters weights);

    /** φ(x): [batch, sampleSize] → [batch, criticOutputDim]. Called once per input in the same graph. */
    SDVariable critic(SameDiff sd, SDVariable x, Parameters weights);
}
