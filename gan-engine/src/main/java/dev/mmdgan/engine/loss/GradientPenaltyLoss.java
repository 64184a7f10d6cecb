package dev.mmdgan.engine.loss;

import dev.mmdgan.core.kernel.Kernel;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code mmd-gp} (Bińkowski et al.): L_D = −MMD²_u + λ_GP·E_x̂ (‖∇_x̂ f(x̂)‖₂ − 1)², L_G = MMD²_u, where x̂ = u·x + (1−u)·y
 * with u ~ U(0, 1) per sample, f is the witness on critic features over the current batch, and the norm is taken
 * per sample over all input dimensions (the reference code's axis=1 norm is a bug).
 */
public record GradientPenaltyLoss(Kernel kernel, double weight) implements GanLoss {

    /** λ_GP = 1 (10 is too restrictive per seed 000). */
    public static final double DEFAULT_WEIGHT = 1.0;

    /** Keeps √ differentiable where a gradient is exactly 0. */
    private static final double NORM_EPSILON = 1e-12;

    @Override
    public String name() {
        return "mmd-gp";
    }

    @Override
    public SDVariable criticLoss(LossInputs in, long batch) {
        SDVariable u = in.mixing();
        SDVariable interpolates = in.realSamples().mul(u).add(in.fakeSamples().mul(u.rsub(1.0)));
        SDVariable grad = WitnessGradient.at(in, kernel, interpolates);
        SDVariable norm = in.sd().math().sqrt(grad.mul(grad).sum(1).add(NORM_EPSILON));
        SDVariable penalty = norm.sub(1.0).pow(2).mean();
        return in.grams(kernel).unbiasedMmd2(batch, batch).neg().add(penalty.mul(weight));
    }

    @Override
    public SDVariable generatorLoss(LossInputs in, long batch) {
        return in.grams(kernel).unbiasedMmd2(batch, batch);
    }
}
