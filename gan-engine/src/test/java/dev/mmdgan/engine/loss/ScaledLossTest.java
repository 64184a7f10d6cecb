package dev.mmdgan.engine.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mmdgan.core.kernel.GaussianMixtureKernel;
import dev.mmdgan.core.mmd.Mmd;
import dev.mmdgan.core.mmd.MmdEstimator;
import dev.mmdgan.engine.graph.Mlp2d;
import dev.mmdgan.engine.graph.Parameters;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** SMMD's value against an independent computation: autodiff input gradients and mmd-core's MMD². */
class ScaledLossTest {

    @Test
    void smmdIsTheMmdTimesOneOverOnePlusLambdaTimesTheMeanSquaredInputGradient() {
        Mlp2d arch = new Mlp2d(1);
        Parameters g = new Parameters("G/", DataType.DOUBLE);
        Parameters d = new Parameters("D/", DataType.DOUBLE);
        arch.initialize(g, d, new Random(4));
        INDArray x0 = Nd4j.randn(DataType.DOUBLE, 6, 2);
        INDArray y0 = Nd4j.randn(DataType.DOUBLE, 6, 2).addi(1);
        var kernel = new GaussianMixtureKernel(List.of(1.0));

        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", x0.dup());
        SDVariable y = sd.constant("y", y0);
        LossInputs in = LossInputs.of(sd, arch, d, x, y, sd.constant(Nd4j.zeros(DataType.DOUBLE, 6, 1)), sd.constant(Nd4j.scalar(10.0)));
        new ScaledMmdLoss(kernel, 10, false).generatorLoss(in, 6).rename("smmd");
        in.real().sum().rename("sum_phi");
        sd.setLossVariables("sum_phi");
        Map<String, INDArray> out = sd.output(Map.of(), "smmd", in.real().name(), in.fake().name());

        // Row i of ∂(Σ_j φ(x_j))/∂x is ∇φ(x_i): each sample's feature depends on its own row only.
        INDArray jac = sd.calculateGradients(Map.of(), "x").get("x");
        double meanSq = jac.mul(jac).sumNumber().doubleValue() / 6;
        double mmd2 = Mmd.mmd2(kernel, out.get(in.real().name()), out.get(in.fake().name()), MmdEstimator.UNBIASED);
        assertThat(out.get("smmd").getDouble(0)).isCloseTo(mmd2 / (1 + 10 * meanSq), within(1e-12));
    }

    @Test
    void l2PenaltyAddsTheMeanSquaredActivationsOfEveryCriticLayerOnBothBatches() {
        Mlp2d arch = new Mlp2d(3);
        Parameters g = new Parameters("G/", DataType.DOUBLE);
        Parameters d = new Parameters("D/", DataType.DOUBLE);
        arch.initialize(g, d, new Random(5));
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.constant("x", Nd4j.randn(DataType.DOUBLE, 5, 2));
        SDVariable y = sd.constant("y", Nd4j.randn(DataType.DOUBLE, 5, 2).addi(1));
        LossInputs in = LossInputs.of(sd, arch, d, x, y, sd.constant(Nd4j.rand(DataType.DOUBLE, 5, 1)), sd.constant(Nd4j.scalar(0.0)));
        var kernel = new GaussianMixtureKernel(List.of(1.0));
        new GradientPenaltyLoss(kernel, 1, 0).criticLoss(in, 5).rename("gp");
        new GradientPenaltyLoss(kernel, 1, 2.0).criticLoss(in, 5).rename("gp_l2");
        List<SDVariable> layers = new java.util.ArrayList<>(arch.critic(sd, x, d).layers());
        layers.addAll(arch.critic(sd, y, d).layers());
        String[] names = layers.stream().map(SDVariable::name).toArray(String[]::new);
        Map<String, INDArray> out = sd.output(Map.of(), "gp", "gp_l2");
        Map<String, INDArray> acts = sd.output(Map.of(), names);
        double penalty = 0;
        for (String n : names) {
            INDArray a = acts.get(n);
            for (int i = 0; i < a.rows(); i++) {
                penalty += a.getRow(i).mul(a.getRow(i)).meanNumber().doubleValue() / a.rows();
            }
        }
        assertThat(out.get("gp_l2").getDouble(0) - out.get("gp").getDouble(0)).isCloseTo(2.0 * penalty, within(1e-12));
    }
}
