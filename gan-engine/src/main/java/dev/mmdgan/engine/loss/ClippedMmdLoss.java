package dev.mmdgan.engine.loss;

import dev.mmdgan.core.kernel.Kernel;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code mmd-clip}, Li et al.'s baseline: the critic maximizes and the generator minimizes √relu(MMD²_b) (biased
 * estimator), and critic weights are clipped to ±{@code clip} after every critic update.
 */
public record ClippedMmdLoss(Kernel kernel, double clip) implements ZeroSumLoss {

    public static final double DEFAULT_CLIP = 0.01;

    @Override
    public String name() {
        return "mmd-clip";
    }

    @Override
    public SDVariable generatorLoss(LossInputs in, long batch) {
        // √(·) has an infinite slope at 0: the small offset keeps the gradient finite when MMD² is exactly 0.
        return in.sd().math().sqrt(in.sd().nn().relu(in.grams(kernel, batch).biasedMmd2(), 0).add(1e-12));
    }

    @Override
    public double criticWeightClip() {
        return clip;
    }
}
