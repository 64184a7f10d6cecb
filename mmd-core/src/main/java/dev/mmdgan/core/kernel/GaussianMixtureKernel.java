package dev.mmdgan.core.kernel;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code rbf-mix}: k(a, b) = Σ_σ exp(−‖a−b‖² / (2σ²)). */
public record GaussianMixtureKernel(List<Double> sigmas) implements Kernel {

    /** Li et al.'s bandwidths. */
    public static final List<Double> DEFAULT_SIGMAS = List.of(1.0, 2.0, 4.0, 8.0, 16.0);

    public GaussianMixtureKernel {
        sigmas = Kernels.positive("rbf-mix sigmas", sigmas);
    }

    @Override
    public String name() {
        return "rbf-mix";
    }

    @Override
    public INDArray fromGeometry(PairGeometry g) {
        INDArray d2 = g.squaredDistances();
        INDArray k = d2.ulike();
        for (double s : sigmas) {
            k.addi(Transforms.exp(d2.mul(-1.0 / (2 * s * s)), false));
        }
        return k;
    }

    @Override
    public double value(double dot, double sqNormA, double sqNormB) {
        double d2 = Kernel.squaredDistance(dot, sqNormA, sqNormB);
        double k = 0;
        for (double s : sigmas) {
            k += Math.exp(-d2 / (2 * s * s));
        }
        return k;
    }
}
