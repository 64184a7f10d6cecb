package dev.mmdgan.engine.loss;

import dev.mmdgan.core.kernel.Kernel;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code mmd-rep-gp} (Wang et al.): L_D = (L_D^rep − 1)/(1 + λ·E_{x∈X}‖∂φ(x)/∂x‖²_F) with L_D^rep = E k(x,x') − E k(y,y'),
 * L_G = MMD²_u; λ = 0.1, critic output dimension 1, no spectral norm.
 */
public record RepulsiveGradientScaledLoss(Kernel kernel, double lambda) implements GanLoss {

    public static final double DEFAULT_LAMBDA = 0.1;

    @Override
    public String name() {
        return "mmd-rep-gp";
    }

    @Override
    public double initialCoefficient() {
        return lambda;
    }

    @Override
    public SDVariable criticLoss(LossInputs in, long batch) {
        SDVariable repulsive = in.grams(kernel, batch).weightedMeans(1, 0, -1);
        SDVariable scale = JacobianNorm.meanSquaredFrobenius(in, in.realSamples(), batch).mul(in.coefficient()).add(1.0);
        return repulsive.sub(1.0).div(scale);
    }

    @Override
    public SDVariable generatorLoss(LossInputs in, long batch) {
        return in.grams(kernel, batch).unbiasedMmd2();
    }
}
