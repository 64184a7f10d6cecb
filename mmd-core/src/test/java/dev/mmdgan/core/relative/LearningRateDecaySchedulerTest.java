package dev.mmdgan.core.relative;

import static dev.mmdgan.core.PlainLoops.gaussian;
import static dev.mmdgan.core.PlainLoops.toNd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.kernel.PolynomialKernel;
import dev.mmdgan.core.relative.DecayDecision.Kind;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class LearningRateDecaySchedulerTest {

    private final Random random = new Random(1);
    private final INDArray real = toNd(gaussian(random, 60, 4, 0, 1));
    private final Kernel kernel = PolynomialKernel.KID.resolved(4);

    /** An evaluation whose samples sit {@code shift} away from the real data (larger = worse generator). */
    private EvaluationSums evaluation(double shift) {
        return EvaluationSums.of(kernel, real, toNd(gaussian(random, 60, 4, shift, 1)));
    }

    @Test
    void warmsUpThenFailsThreeTimesThenDecaysAndRefills() {
        LearningRateDecayScheduler s = new LearningRateDecayScheduler(DecayConfig.DEFAULT, 1e-4);
        long step = 0;
        for (int i = 0; i < 10; i++) {
            assertThat(s.observe(step += 2000, evaluation(1.0)).kind()).isEqualTo(Kind.WARMUP);
        }
        // Worse samples than 10 evaluations ago: p ≈ 1, a failure; the window does not slide.
        DecayDecision fail1 = s.observe(step += 2000, evaluation(2.0));
        assertThat(fail1.kind()).isEqualTo(Kind.FAIL);
        assertThat(fail1.previousStep()).isEqualTo(2000);
        assertThat(fail1.test().pValue()).isGreaterThan(0.1);
        assertThat(s.observe(step += 2000, evaluation(2.0)).previousStep()).isEqualTo(2000);
        assertThat(s.consecutiveFailures()).isEqualTo(2);

        DecayDecision decay = s.observe(step += 2000, evaluation(2.0));
        assertThat(decay.kind()).isEqualTo(Kind.DECAY);
        assertThat(decay.learningRateBefore()).isEqualTo(1e-4);
        assertThat(decay.learningRateAfter()).isCloseTo(8e-5, within(1e-18));
        assertThat(decay.factor()).isCloseTo(0.8, within(1e-12));
        assertThat(s.learningRate()).isCloseTo(8e-5, within(1e-18));
        assertThat(s.consecutiveFailures()).isZero();
        // (memory + [Y])[-3:]: the two newest stored evaluations and the current one.
        assertThat(s.storedSteps()).containsExactly(18000L, 20000L, 26000L);

        for (int i = 0; i < 7; i++) {
            assertThat(s.observe(step += 2000, evaluation(1.0)).kind()).isEqualTo(Kind.WARMUP);
        }
        // Much better samples than 10 evaluations ago: a pass, and the window slides by one.
        DecayDecision pass = s.observe(step += 2000, evaluation(0.0));
        assertThat(pass.kind()).isEqualTo(Kind.PASS);
        assertThat(pass.test().pValue()).isLessThan(0.1);
        assertThat(pass.previousStep()).isEqualTo(18000);
        assertThat(s.storedSteps()).hasSize(10).startsWith(20000L).endsWith(step);
        assertThat(s.decays()).isEqualTo(1);
    }

    @Test
    void aPassResetsTheFailureCount() {
        LearningRateDecayScheduler s = new LearningRateDecayScheduler(new DecayConfig(2, 3, 0.5, 1e-6, 0.1), 1e-3);
        s.observe(1, evaluation(1.0));
        s.observe(2, evaluation(1.0));
        assertThat(s.observe(3, evaluation(2.0)).kind()).isEqualTo(Kind.FAIL);
        assertThat(s.observe(4, evaluation(2.0)).kind()).isEqualTo(Kind.FAIL);
        assertThat(s.observe(5, evaluation(0.0)).kind()).isEqualTo(Kind.PASS);
        assertThat(s.consecutiveFailures()).isZero();
        assertThat(s.learningRate()).isEqualTo(1e-3);
    }

    @Test
    void learningRateNeverGoesBelowTheFloor() {
        LearningRateDecayScheduler s = new LearningRateDecayScheduler(new DecayConfig(1, 1, 0.5, 1e-6, 0.1), 1.5e-6);
        s.observe(1, evaluation(0.5));
        assertThat(s.observe(2, evaluation(2.5)).learningRateAfter()).isEqualTo(1e-6);
        s.observe(3, evaluation(0.5));
        DecayDecision again = s.observe(4, evaluation(3.0));
        assertThat(again.kind()).isEqualTo(Kind.DECAY);
        assertThat(again.learningRateAfter()).isEqualTo(1e-6);
        assertThat(again.factor()).isEqualTo(1.0);
    }

    @Test
    void savedStateRestoresToAnIdenticalScheduler() {
        LearningRateDecayScheduler original = new LearningRateDecayScheduler(new DecayConfig(3, 2, 0.8, 1e-6, 0.1), 2e-4);
        for (double shift : new double[] {1, 1, 1, 2}) {
            original.observe((long) (shift * 1000), evaluation(shift));
        }
        LearningRateDecayScheduler restored = LearningRateDecayScheduler.restore(original.save());
        assertThat(restored.save()).isEqualTo(original.save());
        assertThat(restored.config()).isEqualTo(original.config());
        assertThat(restored.consecutiveFailures()).isEqualTo(1);
        for (double shift : new double[] {2, 1, 0, 3, 3}) {
            EvaluationSums e = evaluation(shift);
            DecayDecision a = original.observe(99, e);
            DecayDecision b = restored.observe(99, e);
            assertThat(b.kind()).isEqualTo(a.kind());
            assertThat(b.learningRateAfter()).isEqualTo(a.learningRateAfter());
            if (a.test() != null) {
                assertThat(b.test()).isEqualTo(a.test());
            }
        }
    }

    @Test
    void corruptStateIsRejectedWithAClearError() {
        byte[] state = new LearningRateDecayScheduler(DecayConfig.DEFAULT, 1e-4).save();
        assertThatThrownBy(() -> LearningRateDecayScheduler.restore(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad magic");
        assertThatThrownBy(() -> LearningRateDecayScheduler.restore(Arrays.copyOf(state, state.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated or corrupt");
        assertThatThrownBy(() -> new DecayConfig(10, 3, 1.5, 1e-6, 0.1)).hasMessageContaining("decay factor must be in (0, 1)");
    }
}
