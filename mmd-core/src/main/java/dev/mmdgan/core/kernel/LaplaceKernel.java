package dev.mmdgan.core.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code laplace}: k(a, b) = exp(−‖a−b‖ / σ). */
public record LaplaceKernel(double sigma) implements Kernel {

    public LaplaceKernel {
        Kernels.positive("laplace sigma", java.util.List.of(sigma));
    }

    @Override
    public String name() {
        return "laplace";
    }

    @Override
    public INDArray fromGeometry(PairGeometry g) {
        return Transforms.exp(Transforms.sqrt(g.squaredDistances(), false).muli(-1.0 / sigma), false);
    }

    @Override
    public double value(double dot, double sqNormA, double sqNormB) {
        return Math.exp(-Math.sqrt(Kernel.squaredDistance(dot, sqNormA, sqNormB)) / sigma);
    }
}
