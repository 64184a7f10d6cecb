package dev.mmdgan.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.core.kernel.Kernels;
import dev.mmdgan.engine.data.Dataset;
import dev.mmdgan.engine.loss.Losses;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.TrainingConfig;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DcganTest {

    @Test
    void presetsHaveThePapersShapes() {
        for (String name : List.of("dcgan-28", "dcgan-32", "dcgan-64")) {
            Architecture a = Architectures.byName(name, 0, 0);
            Parameters g = new Parameters("G/", DataType.FLOAT);
            Parameters d = new Parameters("D/", DataType.FLOAT);
            a.initialize(g, d, new Random(0));
            SameDiff sd = SameDiff.create();
            SDVariable z = sd.placeHolder("z", DataType.FLOAT, -1, a.noiseDim());
            a.generator(sd, z, g, false).rename("x");
            a.critic(sd, sd.getVariable("x"), d).features().rename("f");
            Map<String, INDArray> out = sd.output(Map.of("z", Nd4j.randn(DataType.FLOAT, 2, a.noiseDim())), "x", "f");
            assertThat(out.get("x").shape()).as(name).containsExactly(2, a.sampleSize());
            assertThat(out.get("f").shape()).as(name).containsExactly(2, a.criticOutputDim());
            assertThat(out.get("x").amaxNumber().doubleValue()).isLessThanOrEqualTo(1.0); // tanh
        }
        assertThat(Architectures.byName("dcgan-28", 0, 0).sampleShape()).containsExactly(1, 28, 28);
        assertThat(Architectures.byName("dcgan-28", 0, 0).criticOutputDim()).isEqualTo(1024);
        assertThat(Architectures.byName("dcgan-32", 0, 0).sampleShape()).containsExactly(3, 32, 32);
        assertThat(Architectures.byName("dcgan-64", 0, 0).sampleShape()).containsExactly(3, 64, 64);
    }

    @Test
    void explicitInputGradientEqualsAutodiffForEveryKindOfCritic() {
        for (Architecture a : List.of(new Mlp2d(4), TestNetworks.tinyDcgan(3), Dcgan.dcgan32(3, 5))) {
            Parameters g = new Parameters("G/", DataType.DOUBLE);
            Parameters d = new Parameters("D/", DataType.DOUBLE);
            a.initialize(g, d, new Random(4));
            Nd4j.getRandom().setSeed(5);
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, 3, a.sampleSize()).muli(2).subi(1));
            SDVariable v = sd.constant(Nd4j.randn(DataType.DOUBLE, 3, a.criticOutputDim()));
            CriticPass pass = a.critic(sd, x, d);
            pass.features().mul(v).sum().rename("loss");
            sd.setLossVariables("loss");
            pass.inputGradient(v).rename("explicit");
            INDArray autodiff = sd.calculateGradients(Map.of(), "x").get("x");
            INDArray explicit = sd.output(Map.of(), "explicit").get("explicit");
            // libnd4j's double convolutions agree with its own backward pass to ~1e−9 (docs/stack-notes.md: 3e−9).
            double scale = autodiff.amaxNumber().doubleValue();
            assertThat(explicit.sub(autodiff).amaxNumber().doubleValue()).as(a.name()).isLessThan(1e-7 * scale);
        }
    }

    @Test
    void generatorBatchNormUsesRunningStatisticsAtInference() {
        Dcgan a = TestNetworks.tinyDcgan(4);
        INDArray images = Nd4j.rand(DataType.FLOAT, 64, a.sampleSize()).muli(2).subi(1);
        Dataset data = new Dataset("random", "test", images, images, a.sampleShape());
        MmdGanTrainer trainer = new MmdGanTrainer(data, a, Losses.byName("mmd", Kernels.byName("rbf-mix"), 0),
                TrainingConfig.DEFAULTS.withBatch(16).withNCritic(1));
        INDArray mean = trainer.generatorParameters().get("G/up0_bn_mean");
        assertThat(mean.sumNumber().doubleValue()).isZero();
        INDArray before = trainer.generate(5, 1);
        trainer.trainStep();
        // The generator step folded its batch's statistics in: 0.9·0 + 0.1·μ_batch ≠ 0.
        assertThat(mean.amaxNumber().doubleValue()).isPositive();
        assertThat(trainer.generatorParameters().get("G/up0_bn_var").sumNumber().doubleValue()).isNotEqualTo(2.0);
        // Inference is per sample: a sample does not depend on the others generated with it.
        INDArray one = trainer.generate(1, 1);
        assertThat(trainer.generate(5, 1).getRow(0).equalsWithEps(one.getRow(0), 1e-5)).isTrue();
        assertThat(before.equalsWithEps(trainer.generate(5, 1), 1e-6)).isFalse();
    }

    @Test
    void mismatchedImagesAreRejectedWithBothShapes() {
        INDArray fashion = Nd4j.zeros(DataType.FLOAT, 10, 784);
        Dataset data = new Dataset("fashion-mnist", "test", fashion, fashion, new long[] {1, 28, 28});
        assertThatThrownBy(() -> new MmdGanTrainer(data, Architectures.byName("dcgan-32", 0, 1),
                Losses.byName("mmd", Kernels.byName("rq-mix"), 0), TrainingConfig.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dcgan-32").hasMessageContaining("[1, 32, 32]").hasMessageContaining("[1, 28, 28]");
        assertThatThrownBy(() -> Architectures.byName("dcgan-48", 0, 0))
                .hasMessageContaining("allowed: mlp-2d, dcgan-28, dcgan-32, dcgan-64");
    }
}
