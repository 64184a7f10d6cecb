package dev.mmdgan.engine.loss;

import dev.mmdgan.core.kernel.BoundedGaussianKernel;
import dev.mmdgan.core.kernel.BoundedGaussianKernel.LossMode;
import dev.mmdgan.core.kernel.BoundedGaussianKernel.PairKind;
import dev.mmdgan.core.kernel.GaussianMixtureKernel;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Losses with the bounded Gaussian kernel {@code rbf-b} on the critic side (Wang et al.): {@code mmd-rep-b}
 * (repulsive, L_D = E k_b(x,x') − E k_b(y,y')) and {@code mmd-rbf-b} (attractive, L_D = −MMD²_u with k_b).
 * The generator minimizes MMD²_u with the plain Gaussian kernel of the same σ.
 */
public record BoundedKernelLoss(String name, BoundedGaussianKernel kernel, LossMode mode) implements GanLoss {

    public static BoundedKernelLoss repulsive(BoundedGaussianKernel kernel) {
        return new BoundedKernelLoss("mmd-rep-b", kernel, LossMode.REPULSIVE);
    }

    public static BoundedKernelLoss attractive(BoundedGaussianKernel kernel) {
        return new BoundedKernelLoss("mmd-rbf-b", kernel, LossMode.ATTRACTIVE);
    }

    @Override
    public SDVariable criticLoss(LossInputs in, long batch) {
        var ops = in.ops();
        SDVariable xx = kernel.apply(ops, in.pairs(in.real(), in.real()), PairKind.REAL_REAL, mode);
        SDVariable yy = kernel.apply(ops, in.pairs(in.fake(), in.fake()), PairKind.GENERATED_GENERATED, mode);
        SDVariable xy = kernel.apply(ops, in.pairs(in.real(), in.fake()), PairKind.REAL_GENERATED, mode);
        LossInputs.Grams g = LossInputs.Grams.ofBlocks(xx, xy, yy, batch, batch);
        return mode == LossMode.REPULSIVE ? g.weightedMeans(1, 0, -1) : g.unbiasedMmd2().neg();
    }

    @Override
    public SDVariable generatorLoss(LossInputs in, long batch) {
        return in.grams(new GaussianMixtureKernel(List.of(kernel.sigma())), batch).unbiasedMmd2();
    }
}
