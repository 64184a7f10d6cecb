package dev.mmdgan.engine.loss;

import dev.mmdgan.core.kernel.Kernel;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code smmd} (Arbel et al.): L_D = −MMD²_u·s and L_G = MMD²_u·s with s = 1/(1 + λ·E_{x∈X}‖∂φ(x)/∂x‖²_F)
 * (variant {@code grad}), or 1/(1 + λ·(E‖∂φ/∂x‖²_F + E‖φ(x)‖²)) (variant {@code value_and_grad}). The gradient
 * is that of φ on the real batch, not of the witness. λ decays with the learning rate, so it is fed to the
 * graph at every update ({@link LossInputs#coefficient()}).
 */
public record ScaledMmdLoss(Kernel kernel, double lambda, boolean valueAndGrad) implements ZeroSumLoss {

    public static final double DEFAULT_LAMBDA = 10;

    @Override
    public String name() {
        return "smmd";
    }

    @Override
    public double initialCoefficient() {
        return lambda;
    }

    @Override
    public SDVariable generatorLoss(LossInputs in, long batch) {
        SDVariable penalty = JacobianNorm.meanSquaredFrobenius(in, in.realSamples(), batch);
        if (valueAndGrad) {
            penalty = penalty.add(in.real().mul(in.real()).sum().div(batch));
        }
        SDVariable scale = penalty.mul(in.coefficient()).add(1.0).rdiv(1.0);
        return in.grams(kernel, batch).unbiasedMmd2().mul(scale);
    }
}
