package dev.mmdgan.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.core.kernel.Kernels;
import dev.mmdgan.engine.data.Dataset;
import dev.mmdgan.engine.loss.Losses;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.TrainingConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reused memory must not change a single bit of what a graph computes. */
class ArrayPoolTest {

    /** A small conv net with a loss, differentiated for its two weights. */
    private static SameDiff graph() {
        Nd4j.getRandom().setSeed(7);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 4, 2, 8, 8);
        SDVariable w = sd.var("w", Nd4j.randn(DataType.FLOAT, 4, 4, 2, 3));
        SDVariable v = sd.var("v", Nd4j.randn(DataType.FLOAT, 48, 5));
        SDVariable h = sd.nn().leakyRelu(Convolutions.conv(sd, x, w, null, 4, 2), 0.2).reshape(4, 48).mmul(v);
        sd.setLossVariables(sd.math().tanh(h).pow(2).sum().rename("loss"));
        GradientFunctions.build(sd);
        return sd;
    }

    private static OutAndGrad run(SameDiff sd, INDArray x) {
        return sd.calculateGradientsAndOutputs(Map.of("x", x), List.of("loss"), List.of("w", "v"));
    }

    @Test
    void pooledGraphComputesExactlyWhatThePlainOneDoes() {
        SameDiff plain = graph();
        SameDiff pooled = graph();
        for (int call = 0; call < 4; call++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 8, 8).subi(0.5);
            OutAndGrad expected = run(plain, x);
            ArrayPool.attach(pooled, 1L << 30);
            OutAndGrad actual = run(pooled, x);
            assertThat(actual.getOutputs().get("loss")).isEqualTo(expected.getOutputs().get("loss"));
            for (String name : List.of("w", "v")) {
                assertThat(actual.getGradients().get(name)).isEqualTo(expected.getGradients().get(name));
            }
            // The caller is done with this call's arrays: the next call writes over them.
            ArrayPool.recycle(pooled);
        }
    }

    @Test
    void afterTheFirstCallEveryArrayComesFromThePool() {
        ArrayPool pool = new ArrayPool(1L << 30);
        INDArray first = pool.allocate(true, DataType.FLOAT, 3, 5);
        pool.recycle();
        assertThat(pool.allocate(true, DataType.FLOAT, 3, 5)).isSameAs(first);
        assertThat(pool.allocate(true, DataType.FLOAT, 3, 5)).isNotSameAs(first); // first is lent out again
        assertThat(pool.allocate(true, DataType.DOUBLE, 3, 5).dataType()).isEqualTo(DataType.DOUBLE);
    }

    @Test
    void arraysBeyondTheLimitAreFreedNotKept() {
        ArrayPool pool = new ArrayPool(100); // bytes: room for one 3×5 float array (60 bytes), not two
        INDArray a = pool.allocate(true, DataType.FLOAT, 3, 5);
        INDArray b = pool.allocate(true, DataType.FLOAT, 3, 5);
        pool.release(a);
        pool.release(b);
        assertThat(a.wasClosed()).isFalse();
        assertThat(b.wasClosed()).isTrue();
    }

    @Test
    void generatedSamplesDoNotChangeWhenTheirMemoryIsReused() {
        Dcgan a = TestNetworks.tinyDcgan(4);
        INDArray images = Nd4j.rand(DataType.FLOAT, 64, a.sampleSize()).muli(2).subi(1);
        MmdGanTrainer trainer = new MmdGanTrainer(new Dataset("random", "test", images, images, a.sampleShape()), a,
                Losses.byName("mmd", Kernels.byName("rbf-mix"), 0), TrainingConfig.DEFAULTS.withBatch(16));
        INDArray first = trainer.generate(300, 5).dup();
        trainer.generate(300, 6); // reuses the same pooled buffers with other values
        assertThat(trainer.generate(300, 5)).isEqualTo(first);
    }
}
