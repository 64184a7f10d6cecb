package dev.mmdgan.core.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code energy}, the distance-induced kernel with centre z0 = 0: k(a, b) = ½(‖a‖ + ‖b‖ − ‖a−b‖).
 * Its MMD² is half the energy distance.
 */
public record EnergyKernel() implements Kernel {

    @Override
    public String name() {
        return "energy";
    }

    @Override
    public INDArray fromGeometry(PairGeometry g) {
        INDArray dist = Transforms.sqrt(g.squaredDistances(), false);
        INDArray normA = Transforms.sqrt(g.sqNormA(), true);
        INDArray normB = Transforms.sqrt(g.sqNormB(), true);
        return dist.negi().addiColumnVector(normA).addiRowVector(normB).muli(0.5);
    }

    @Override
    public double value(double dot, double sqNormA, double sqNormB) {
        return 0.5 * (Math.sqrt(sqNormA) + Math.sqrt(sqNormB)
                - Math.sqrt(Kernel.squaredDistance(dot, sqNormA, sqNormB)));
    }
}
