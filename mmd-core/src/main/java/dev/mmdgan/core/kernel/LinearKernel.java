package dev.mmdgan.core.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code linear}: k(a, b) = ⟨a, b⟩. Its MMD² is the squared distance between the means. */
public record LinearKernel() implements Kernel {

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public INDArray gram(INDArray a, INDArray b) {
        PairGeometry.requireMatrices(a, b);
        return a.mmul(b.transpose());
    }

    @Override
    public INDArray fromGeometry(PairGeometry g) {
        return g.dot().dup();
    }

    @Override
    public double value(double dot, double sqNormA, double sqNormB) {
        return dot;
    }
}
