package dev.mmdgan.engine.loss;

import dev.mmdgan.core.kernel.Kernel;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The general repulsive family of Wang et al.: L_D = λ·E k(x,x') − (λ−1)·E k(x,y) − E k(y,y'), and
 * L_G = MMD²_u for every λ. λ = −1 is the attractive {@code mmd} loss (L_D = −MMD²_u), λ = 1 the repulsive
 * {@code mmd-rep} (L_D = E k(x,x') − E k(y,y')); within-set means leave out the diagonal.
 */
public record MmdLambdaLoss(String name, Kernel kernel, double lambda) implements GanLoss {

    public static MmdLambdaLoss attractive(Kernel kernel) {
        return new MmdLambdaLoss("mmd", kernel, -1);
    }

    public static MmdLambdaLoss repulsive(Kernel kernel) {
        return new MmdLambdaLoss("mmd-rep", kernel, 1);
    }

    @Override
    public SDVariable criticLoss(LossInputs in, long batch) {
        return in.grams(kernel, batch).weightedMeans(lambda, 1 - lambda, -1);
    }

    @Override
    public SDVariable generatorLoss(LossInputs in, long batch) {
        return in.grams(kernel, batch).unbiasedMmd2();
    }
}
