package dev.mmdgan.engine.loss;

import org.nd4j.autodiff.samediff.SDVariable;

/** The critic as losses see it: its features, and its input gradient as forward ops. */
public interface CriticHandle {

    /** φ(x), [batch, s]. */
    SDVariable features(SDVariable x);

    /** J_φ(x)ᵀ·v, [batch, sampleSize]. */
    SDVariable inputGradient(SDVariable x, SDVariable v);

    /** Every layer's output for x, the last being φ(x). */
    java.util.List<SDVariable> layers(SDVariable x);
}
