package dev.mmdgan.engine.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mmdgan.core.kernel.GaussianMixtureKernel;
import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.kernel.RationalQuadraticMixtureKernel;
import dev.mmdgan.core.mmd.Mmd;
import dev.mmdgan.core.mmd.MmdEstimator;
import dev.mmdgan.engine.graph.Architecture;
import dev.mmdgan.engine.graph.Dcgan;
import dev.mmdgan.engine.graph.Mlp2d;
import dev.mmdgan.engine.graph.Parameters;
import dev.mmdgan.engine.graph.TestNetworks;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every loss on a tiny mlp-2d in double: autodiff gradients against central finite differences. */
class LossGradientTest {

    private static final int BATCH = 6;
    private final Kernel rq = new RationalQuadraticMixtureKernel(List.of(0.2, 1.0, 5.0), 0);

    /** A graph computing one loss from fixed real points and noise, with double-precision weights. */
    private record Setup(SameDiff sd, Parameters generator, Parameters critic, Map<String, INDArray> feed, String loss) {

        double value() {
            return sd.output(feed, loss).get(loss).getDouble(0);
        }
    }

    private Setup setup(GanLoss loss, boolean criticLoss) {
        return setup(loss, criticLoss, dev.mmdgan.engine.graph.SpectralNorm.Mode.NONE);
    }

    private Setup setup(GanLoss loss, boolean criticLoss, dev.mmdgan.engine.graph.SpectralNorm.Mode spectralNorm) {
        // Scalar-critic losses are also checked with the one-output critic they are meant for.
        return setup(new Mlp2d(Losses.SCALAR_CRITIC.contains(loss.name()) ? 1 : 4), loss, criticLoss, spectralNorm);
    }

    /** Critic losses are built as the trainer builds them, with one critic pass over the stacked inputs. */
    private Setup setup(Architecture arch, GanLoss loss, boolean criticLoss, dev.mmdgan.engine.graph.SpectralNorm.Mode spectralNorm) {
        return setup(arch, loss, criticLoss, spectralNorm, criticLoss);
    }

    private Setup setup(Architecture arch, GanLoss loss, boolean criticLoss, dev.mmdgan.engine.graph.SpectralNorm.Mode spectralNorm,
                        boolean stacked) {
        Parameters g = new Parameters("G/", DataType.DOUBLE);
        Parameters d = new Parameters("D/", DataType.DOUBLE, new dev.mmdgan.engine.graph.SpectralNorm(spectralNorm));
        arch.initialize(g, d, new Random(3));
        d.spectralNorm().iterate(d); // defines PICO's σ (PIM's already is)
        SameDiff sd = SameDiff.create();
        SDVariable real = sd.placeHolder("real", DataType.DOUBLE, BATCH, arch.sampleSize());
        SDVariable z = sd.placeHolder("z", DataType.DOUBLE, BATCH, arch.noiseDim());
        SDVariable fake = arch.generator(sd, z, g, true);
        SDVariable u = sd.placeHolder("u", DataType.DOUBLE, BATCH, 1);
        SDVariable coefficient = sd.constant(Nd4j.scalar(loss.initialCoefficient()));
        LossInputs in = stacked ? LossInputs.stacked(sd, arch, d, real, fake, u, coefficient, BATCH, loss.usesInterpolates())
                : LossInputs.of(sd, arch, d, real, fake, u, coefficient);
        SDVariable l = (criticLoss ? loss.criticLoss(in, BATCH) : loss.generatorLoss(in, BATCH)).rename("loss");
        sd.setLossVariables(l);
        Nd4j.getRandom().setSeed(11);
        Map<String, INDArray> feed = new java.util.HashMap<>(d.spectralNorm().feed());
        feed.putAll(Map.of("real", Nd4j.rand(DataType.DOUBLE, BATCH, arch.sampleSize()).muli(2).subi(1),
                "z", Nd4j.randn(DataType.DOUBLE, BATCH, arch.noiseDim()),
                "u", Nd4j.rand(DataType.DOUBLE, BATCH, 1)));
        return new Setup(sd, g, d, feed, "loss");
    }

    private void assertGradientsMatchFiniteDifferences(GanLoss loss, boolean criticLoss) {
        assertGradientsMatchFiniteDifferences(setup(loss, criticLoss), loss, criticLoss);
    }

    private void assertGradientsMatchFiniteDifferences(Setup s, GanLoss loss, boolean criticLoss) {
        Parameters params = criticLoss ? s.critic() : s.generator();
        Map<String, INDArray> grads = s.sd().calculateGradients(s.feed(), params.names());
        double h = 1e-6;
        for (String name : params.names()) {
            INDArray w = params.get(name);
            INDArray grad = grads.get(name);
            for (long i = 0; i < w.length(); i += Math.max(1, w.length() / 7)) {
                double orig = w.getDouble(i);
                w.putScalar(i, orig + h);
                double up = s.value();
                w.putScalar(i, orig - h);
                double down = s.value();
                w.putScalar(i, orig);
                double numeric = (up - down) / (2 * h);
                assertThat(grad.getDouble(i)).as("%s %s d/d%s[%d]", loss.name(), criticLoss ? "L_D" : "L_G", name, i)
                        .isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
            }
        }
    }

    @Test
    void everyLossHasCorrectGradientsForBothNetworks() {
        for (String name : Losses.NAMES) {
            GanLoss loss = Losses.byName(name, rq, 0.5);
            assertGradientsMatchFiniteDifferences(loss, true);
            assertGradientsMatchFiniteDifferences(loss, false);
        }
    }

    @Test
    void oneStackedCriticPassGivesTheSameLossesAndGradientsAsSeparatePasses() {
        var none = dev.mmdgan.engine.graph.SpectralNorm.Mode.NONE;
        for (String name : Losses.NAMES) {
            GanLoss loss = Losses.byName(name, rq, 0.5);
            for (Architecture arch : List.of(new Mlp2d(Losses.SCALAR_CRITIC.contains(name) ? 1 : 4),
                    TestNetworks.tinyDcgan(Losses.SCALAR_CRITIC.contains(name) ? 1 : 4))) {
                Setup separate = setup(arch, loss, true, none, false);
                Setup stacked = setup(arch, loss, true, none, true);
                assertThat(stacked.value()).as(name).isCloseTo(separate.value(), within(1e-12));
                Map<String, INDArray> expected = separate.sd().calculateGradients(separate.feed(), separate.critic().names());
                Map<String, INDArray> actual = stacked.sd().calculateGradients(stacked.feed(), stacked.critic().names());
                expected.forEach((w, g) -> assertThat(actual.get(w).sub(g).amaxNumber().doubleValue()).as("%s d/d%s", name, w)
                        .isLessThan(1e-12 + 1e-10 * g.amaxNumber().doubleValue()));
            }
        }
    }

    @Test
    void convolutionalNetworksHaveCorrectGradients() {
        // Transposed convolutions and batch norm in the generator; the critic's explicit input gradient through
        // convolutions (mmd-gp, smmd); PICO's σ of a convolution.
        var none = dev.mmdgan.engine.graph.SpectralNorm.Mode.NONE;
        GanLoss gp = Losses.byName("mmd-gp", rq, 0);
        assertGradientsMatchFiniteDifferences(setup(TestNetworks.tinyDcgan(4), gp, true, none), gp, true);
        assertGradientsMatchFiniteDifferences(setup(TestNetworks.tinyDcgan(4), gp, false, none), gp, false);
        GanLoss smmd = Losses.byName("smmd", rq, 0);
        assertGradientsMatchFiniteDifferences(setup(TestNetworks.tinyDcgan(1), smmd, true, none), smmd, true);
        GanLoss mmd = Losses.byName("mmd", rq, 0);
        assertGradientsMatchFiniteDifferences(setup(TestNetworks.tinyDcgan(4), mmd, true,
                dev.mmdgan.engine.graph.SpectralNorm.Mode.PICO), mmd, true);
    }

    @Test
    void spectrallyNormalizedCriticsHaveCorrectGradients() {
        // σ depends on W (u and v fixed within an update), and γ is trained: both show in the gradients.
        for (var mode : new dev.mmdgan.engine.graph.SpectralNorm.Mode[] {dev.mmdgan.engine.graph.SpectralNorm.Mode.PIM,
                dev.mmdgan.engine.graph.SpectralNorm.Mode.LEARNED_SCALE}) {
            for (String name : java.util.List.of("mmd", "mmd-gp")) {
                GanLoss loss = Losses.byName(name, rq, 0);
                assertGradientsMatchFiniteDifferences(setup(loss, true, mode), loss, true);
            }
        }
    }

    @Test
    void attractiveLossIsMinusTheUnbiasedMmdOfTheCriticFeatures() {
        Kernel rbf = new GaussianMixtureKernel(List.of(1.0, 2.0));
        Setup s = setup(MmdLambdaLoss.attractive(rbf), true);
        // Recompute φ(real) and φ(fake) and the MMD² with mmd-core.
        Mlp2d arch = new Mlp2d(4);
        SameDiff sd = SameDiff.create();
        SDVariable real = sd.placeHolder("real", DataType.DOUBLE, BATCH, 2);
        SDVariable z = sd.placeHolder("z", DataType.DOUBLE, BATCH, 2);
        arch.critic(sd, real, s.critic()).features().rename("fx");
        arch.critic(sd, arch.generator(sd, z, s.generator(), true), s.critic()).features().rename("fy");
        Map<String, INDArray> f = sd.output(Map.of("real", s.feed().get("real"), "z", s.feed().get("z")), "fx", "fy");
        double mmd2 = Mmd.mmd2(rbf, f.get("fx"), f.get("fy"), MmdEstimator.UNBIASED);
        assertThat(s.value()).isCloseTo(-mmd2, within(1e-12));
        assertThat(setup(MmdLambdaLoss.attractive(rbf), false).value()).isCloseTo(mmd2, within(1e-12));
    }

    @Test
    void unknownAndNotYetImplementedLossesAreRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Losses.byName("wgan", rq, 0))
                .hasMessageStartingWith("unknown loss 'wgan'; allowed: mmd, mmd-gp, mmd-gp-l2, smmd");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Losses.byName("mmd-gp-l3", rq, 0))
                .hasMessageStartingWith("unknown loss 'mmd-gp-l3'");
    }
}
