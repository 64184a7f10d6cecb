package dev.mmdgan.engine.loss;

import dev.mmdgan.engine.graph.SameDiffAlgebra;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code swgan}, the linear-kernel SMMD: L_D = −(E_P φ − E_Q φ)/√(1 + 10·(E_P‖φ‖² + E_P‖∂φ/∂x‖²_F)), L_G = the same
 * fraction with a plus sign. Meant for a scalar critic (output dimension 1); for s > 1, φ is summed over outputs.
 */
public record ScaledWassersteinLoss(double lambda) implements ZeroSumLoss {

    public static final double DEFAULT_LAMBDA = 10;

    @Override
    public String name() {
        return "swgan";
    }

    @Override
    public double initialCoefficient() {
        return lambda;
    }

    @Override
    public SDVariable generatorLoss(LossInputs in, long batch) {
        SDVariable meanGap = SameDiffAlgebra.rowSums(in.real(), in.features()).mean()
                .sub(SameDiffAlgebra.rowSums(in.fake(), in.features()).mean());
        SDVariable penalty = in.real().mul(in.real()).sum().div(batch)
                .add(JacobianNorm.meanSquaredFrobenius(in, in.realSamples(), batch));
        return meanGap.div(in.sd().math().sqrt(penalty.mul(in.coefficient()).add(1.0)));
    }
}
