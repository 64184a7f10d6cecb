package dev.mmdgan.engine.loss;

import dev.mmdgan.core.kernel.Kernel;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code mmd-gp} (Bińkowski et al.): L_D = −MMD²_u + λ_GP·E_x̂ (‖∇_x̂ f(x̂)‖₂ − 1)², L_G = MMD²_u, where x̂ = u·x + (1−u)·y
 * with u ~ U(0, 1) per sample, f is the witness on critic features over the current batch, and the norm is taken
 * per sample over all input dimensions (the reference code's axis=1 norm is a bug).
 *
 * <p>{@code mmd-gp-l2} adds λ_L2·Σ_layers E[mean of squared activations] over the real and the fake batch: for
 * every critic layer, the per-sample mean of its squared outputs, averaged over the batch, summed over layers and
 * both batches.
 */
public record GradientPenaltyLoss(Kernel kernel, double weight, double l2Weight) implements GanLoss {

    /** λ_L2 of mmd-gp-l2. */
    public static final double DEFAULT_L2_WEIGHT = 1.0;

    /** λ_GP = 1 (10 is too restrictive per seed 000). */
    public static final double DEFAULT_WEIGHT = 1.0;

    /** Keeps √ differentiable where a gradient is exactly 0. */
    private static final double NORM_EPSILON = 1e-12;

    @Override
    public String name() {
        return l2Weight == 0 ? "mmd-gp" : "mmd-gp-l2";
    }

    @Override
    public boolean usesInterpolates() {
        return true;
    }

    @Override
    public SDVariable criticLoss(LossInputs in, long batch) {
        SDVariable grad = WitnessGradient.at(in, kernel, in.interpolates(), batch);
        SDVariable norm = in.sd().math().sqrt(grad.mul(grad).sum(1).add(NORM_EPSILON));
        SDVariable penalty = norm.sub(1.0).pow(2).mean();
        SDVariable loss = in.grams(kernel, batch).unbiasedMmd2().neg().add(penalty.mul(weight));
        return l2Weight == 0 ? loss : loss.add(activationPenalty(in).mul(l2Weight));
    }

    private static SDVariable activationPenalty(LossInputs in) {
        SDVariable total = null;
        for (SDVariable samples : new SDVariable[] {in.realSamples(), in.fakeSamples()}) {
            for (SDVariable layer : in.critic().layers(samples)) {
                SDVariable term = layer.mul(layer).mean(); // per-sample means averaged over the batch
                total = total == null ? term : total.add(term);
            }
        }
        return total;
    }

    @Override
    public SDVariable generatorLoss(LossInputs in, long batch) {
        return in.grams(kernel, batch).unbiasedMmd2();
    }
}
