package dev.mmdgan.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.core.kernel.GaussianMixtureKernel;
import dev.mmdgan.core.kernel.RationalQuadraticMixtureKernel;
import dev.mmdgan.core.mmd.Mmd;
import dev.mmdgan.core.mmd.MmdEstimator;
import dev.mmdgan.engine.data.Dataset;
import dev.mmdgan.engine.data.Moons;
import dev.mmdgan.engine.graph.Mlp2d;
import dev.mmdgan.engine.loss.MmdLambdaLoss;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class MoonsTrainingTest {

    private static double mmdToFreshMoons(INDArray samples) {
        return Mmd.mmd2(new GaussianMixtureKernel(List.of(0.5)), samples, Moons.sample((int) samples.rows(), 0.1, 99),
                MmdEstimator.UNBIASED);
    }

    @Test
    void aShortMoonsRunLearns() {
        Dataset moons = Moons.dataset(5000, 0.1, 1);
        MmdGanTrainer trainer = new MmdGanTrainer(moons, new Mlp2d(16),
                MmdLambdaLoss.attractive(new RationalQuadraticMixtureKernel(List.of(0.2, 1.0, 5.0), 0)),
                TrainingConfig.DEFAULTS.withBatch(128).withNCritic(2).withLearningRates(1e-3, 1e-3).withSeed(5));
        double before = mmdToFreshMoons(trainer.generate(500, 7));
        for (int i = 0; i < 300; i++) {
            StepResult r = trainer.trainStep();
            assertThat(r.generatorLoss()).isFinite();
        }
        double after = mmdToFreshMoons(trainer.generate(500, 7));
        System.out.printf("moons MMD² before %.4f after %.4f%n", before, after);
        assertThat(trainer.completedSteps()).isEqualTo(300);
        assertThat(after).isLessThan(before / 3);
    }

    @Test
    void decayScalesBothLearningRatesAndTheLossCoefficientWithAFloor() {
        MmdGanTrainer t = new MmdGanTrainer(Moons.dataset(200, 0.1, 1), new Mlp2d(1),
                dev.mmdgan.engine.loss.Losses.byName("smmd", new GaussianMixtureKernel(List.of(1.0)), 0),
                TrainingConfig.DEFAULTS.withBatch(16).withLearningRates(2e-4, 1e-4));
        assertThat(t.lossCoefficient()).isEqualTo(10);
        t.decay(0.8, 9e-5);
        assertThat(t.generatorOptimizer().learningRate()).isCloseTo(1.6e-4, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(t.criticOptimizer().learningRate()).isEqualTo(9e-5);
        assertThat(t.lossCoefficient()).isCloseTo(8, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(t.trainStep().generatorLoss()).isFinite();
    }

    @Test
    void sameSeedSameRun() {
        Dataset moons = Moons.dataset(500, 0.1, 1);
        TrainingConfig config = TrainingConfig.DEFAULTS.withBatch(32).withNCritic(1).withSeed(3);
        var loss = MmdLambdaLoss.repulsive(new GaussianMixtureKernel(List.of(1.0)));
        MmdGanTrainer a = new MmdGanTrainer(moons, new Mlp2d(4), loss, config);
        MmdGanTrainer b = new MmdGanTrainer(moons, new Mlp2d(4), loss, config);
        for (int i = 0; i < 5; i++) {
            assertThat(b.trainStep().sameOutcome(a.trainStep())).isTrue();
        }
        assertThat(b.generate(10, 1)).isEqualTo(a.generate(10, 1));
    }
}
