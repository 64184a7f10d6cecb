package dev.mmdgan.engine.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.kernel.Kernels;
import dev.mmdgan.core.mmd.Mmd;
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

/** The explicit input gradients used by gradient penalties, against autodiff and finite differences (double). */
class WitnessGradientTest {

    private final Mlp2d arch = new Mlp2d(4);
    private final Parameters generator = new Parameters("G/", DataType.DOUBLE);
    private final Parameters critic = new Parameters("D/", DataType.DOUBLE);

    WitnessGradientTest() {
        arch.initialize(generator, critic, new Random(2));
    }

    @Test
    void witnessGradientMatchesFiniteDifferencesOfTheWitness() {
        INDArray realX = Nd4j.randn(DataType.DOUBLE, 8, 2);
        INDArray fakeY = Nd4j.randn(DataType.DOUBLE, 8, 2).addi(0.5);
        INDArray t0 = Nd4j.randn(DataType.DOUBLE, 3, 2);
        for (String name : List.of("rbf-mix", "rq-mix", "rq-mix-dot", "laplace", "energy", "poly", "linear")) {
            Kernel kernel = Kernels.byName(name);
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("x", DataType.DOUBLE, 8, 2);
            SDVariable y = sd.placeHolder("y", DataType.DOUBLE, 8, 2);
            SDVariable t = sd.placeHolder("t", DataType.DOUBLE, 3, 2);
            LossInputs in = LossInputs.of(sd, arch, critic, x, y, sd.placeHolder("u", DataType.DOUBLE, 8, 1), null);
            WitnessGradient.at(in, kernel, t, 8).rename("grad");
            arch.critic(sd, x, critic).features().rename("fx");
            arch.critic(sd, y, critic).features().rename("fy");
            arch.critic(sd, t, critic).features().rename("ft");
            Map<String, INDArray> feed = Map.of("x", realX, "y", fakeY, "t", t0, "u", Nd4j.zeros(DataType.DOUBLE, 8, 1));
            INDArray grad = sd.output(feed, "grad").get("grad");
            double h = 1e-6;
            for (int i = 0; i < 3; i++) {
                for (int d = 0; d < 2; d++) {
                    INDArray up = t0.dup();
                    up.putScalar(i, d, t0.getDouble(i, d) + h);
                    INDArray down = t0.dup();
                    down.putScalar(i, d, t0.getDouble(i, d) - h);
                    double numeric = (witness(sd, kernel, feed, up, i) - witness(sd, kernel, feed, down, i)) / (2 * h);
                    assertThat(grad.getDouble(i, d)).as("%s ∂f/∂t[%d][%d]", name, i, d)
                            .isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
                }
            }
        }
    }

    /** The witness at row i of t, with mmd-core's witness function on the critic features. */
    private static double witness(SameDiff sd, Kernel kernel, Map<String, INDArray> feed, INDArray t, int i) {
        Map<String, INDArray> f = new java.util.HashMap<>(feed);
        f.put("t", t);
        Map<String, INDArray> out = sd.output(f, "fx", "fy", "ft");
        return Mmd.witness(kernel, out.get("fx"), out.get("fy"), out.get("ft")).getDouble(i);
    }
}
