package dev.mmdgan.engine.graph;

import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * One forward pass of the critic over a batch x, kept so that its input gradient reuses the pass's
 * pre-activations instead of building the forward sub-graph again (SameDiff does not merge duplicates).
 */
public interface CriticPass {

    /** The output of every critic layer (after its activation), the last one being φ(x). */
    List<SDVariable> layers();

    /** φ(x), [batch, s]. */
    default SDVariable features() {
        List<SDVariable> layers = layers();
        return layers.get(layers.size() - 1);
    }

    /**
     * J_φ(x)ᵀ·v for every sample: the gradient of ⟨φ(x_i), v_i⟩ with respect to x_i, [batch, sampleSize], written
     * as ordinary forward ops (transposed products, transposed convolutions and activation-derivative masks).
     * SameDiff 1.0.0-M2.1 cannot differentiate its own gradients, so gradient penalties are built from this and
     * differentiated once.
     */
    SDVariable inputGradient(SDVariable v);

    /**
     * This pass restricted to rows [from, to) of its batch: slices of its activations, no new forward ops. Lets one
     * pass over several stacked batches (real, fake, interpolates) serve each of them.
     */
    CriticPass rows(long from, long to);

    /** Rows [from, to) of every variable in {@code batch}. */
    static List<SDVariable> sliceRows(List<SDVariable> batch, long from, long to) {
        return batch.stream().map(v -> v.get(SDIndex.interval(from, to))).toList();
    }
}
