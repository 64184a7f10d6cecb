package dev.mmdgan.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.core.kernel.BoundedGaussianKernel;
import dev.mmdgan.core.kernel.BoundedGaussianKernel.LossMode;
import dev.mmdgan.core.kernel.BoundedGaussianKernel.PairKind;
import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.kernel.Kernels;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The training graph's kernels are mmd-core's definitions: same numbers from SameDiff and from ND4J. */
class SameDiffKernelsTest {

    private final INDArray a = Nd4j.randn(DataType.DOUBLE, 7, 3).muli(1.5);
    private final INDArray b = Nd4j.randn(DataType.DOUBLE, 5, 3).addi(0.3);

    private INDArray viaSameDiff(Kernel kernel, boolean self) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("a", DataType.DOUBLE, -1, 3);
        SDVariable y = self ? x : sd.placeHolder("b", DataType.DOUBLE, -1, 3);
        SameDiffAlgebra ops = new SameDiffAlgebra(sd);
        kernel.apply(ops, ops.pairTerms(x, y, 3)).rename("k");
        return sd.output(self ? Map.of("a", a) : Map.of("a", a, "b", b), "k").get("k");
    }

    @Test
    void everyKernelGivesTheSameGramInBothBackends() {
        for (String name : Kernels.NAMES) {
            Kernel kernel = Kernels.byName(name);
            // √ in the graph is √(x + 1e−12) to keep gradients finite: up to 1e−6 apart where a distance is 0.
            double tolerance = name.equals("laplace") || name.equals("energy") ? 2e-6 : 1e-12;
            assertThat(viaSameDiff(kernel, false).equalsWithEps(kernel.gram(a, b), tolerance)).as(name + " cross").isTrue();
            assertThat(viaSameDiff(kernel, true).equalsWithEps(kernel.gram(a, a), tolerance)).as(name + " self").isTrue();
        }
    }

    @Test
    void boundedGaussianClipsTheSameWayInBothBackends() {
        BoundedGaussianKernel k = BoundedGaussianKernel.DEFAULT;
        for (PairKind kind : PairKind.values()) {
            for (LossMode mode : LossMode.values()) {
                SameDiff sd = SameDiff.create();
                SDVariable x = sd.placeHolder("a", DataType.DOUBLE, -1, 3);
                SDVariable y = sd.placeHolder("b", DataType.DOUBLE, -1, 3);
                SameDiffAlgebra ops = new SameDiffAlgebra(sd);
                k.apply(ops, ops.pairTerms(x, y, 3), kind, mode).rename("k");
                INDArray got = sd.output(Map.of("a", a, "b", b), "k").get("k");
                assertThat(got.equalsWithEps(k.gram(a, b, kind, mode), 1e-12)).as(kind + " " + mode).isTrue();
            }
        }
    }
}
