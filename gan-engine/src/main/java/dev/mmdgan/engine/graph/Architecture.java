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
    default SDVariable critic(SameDiff sd, SDVariable x, Parameters weights) {
        java.util.List<SDVariable> layers = criticLayers(sd, x, weights);
        return layers.get(layers.size() - 1);
    }

    /** The output of every critic layer (after its activation), the last one being φ(x). */
    java.util.List<SDVariable> criticLayers(SameDiff sd, SDVariable x, Parameters weights);

    /**
     * J_φ(x)ᵀ·v for every sample: the gradient of ⟨φ(x_i), v_i⟩ with respect to x_i, [batch, sampleSize], written
     * as ordinary forward ops (transposed products and activation-derivative masks). SameDiff 1.0.0-M2.1 cannot
     * differentiate its own gradients, so gradient penalties are built from this and differentiated once.
     */
    SDVariable criticInputGradient(SameDiff sd, SDVariable x, SDVariable v, Parameters weights);
}
