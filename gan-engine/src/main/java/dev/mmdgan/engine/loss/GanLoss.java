package dev.mmdgan.engine.loss;

import org.nd4j.autodiff.samediff.SDVariable;

/** A critic loss L_D and a generator loss L_G, each a scalar to minimize. */
public interface GanLoss {

    /** Registry name, e.g. {@code mmd-rep}. */
    String name();

    SDVariable criticLoss(LossInputs in, long batch);

    SDVariable generatorLoss(LossInputs in, long batch);

    /**
     * Starting value of the loss's decaying coefficient (SMMD's λ and its relatives), fed to the graph as
     * {@link LossInputs#coefficient()} and multiplied by the learning-rate decay factor; 0 if the loss has none.
     */
    default double initialCoefficient() {
        return 0;
    }

    /** Whether the critic loss reads {@link LossInputs#interpolates()} (gradient penalties do). */
    default boolean usesInterpolates() {
        return false;
    }

    /** Bound for clipping critic weights after each critic update (Li et al.'s baseline), or 0 for none. */
    default double criticWeightClip() {
        return 0;
    }
}
