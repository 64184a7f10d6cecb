package dev.mmdgan.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.core.kernel.Kernels;
import dev.mmdgan.engine.loss.GradientPenaltyLoss;
import dev.mmdgan.engine.loss.Losses;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** λ_GP as a run setting: it reaches the loss, is recorded in the run's description, and is refused where it has no effect. */
@Timeout(60)
class GradientPenaltySettingTest {

    @Test
    void theWeightReachesTheLoss() {
        for (String loss : Losses.GRADIENT_PENALTY) {
            GradientPenaltyLoss built = (GradientPenaltyLoss) Losses.byName(loss, Kernels.byName("rq-mix", List.of(), List.of()), 0.5, 10);
            assertThat(built.weight()).as(loss).isEqualTo(10);
        }
        assertThat(((GradientPenaltyLoss) Losses.byName("mmd-gp", Kernels.byName("rq-mix", List.of(), List.of()), 0.5)).weight())
                .isEqualTo(RunDefaults.GRADIENT_PENALTY);
    }

    @Test
    void aWeightOtherThanTheDefaultIsRecordedAndTheDefaultLeavesOlderDescriptionsAsTheyWere() {
        RunSpec byDefault = spec("mmd-gp", RunDefaults.GRADIENT_PENALTY);
        assertThat(byDefault.toProperties()).doesNotContainKey("loss.gradient_penalty");
        assertThat(byDefault.configSha256()).isEqualTo(new RunSpec("moons", null, "mlp-2d", 0, "mmd-gp", 0.5, "rq-mix", List.of(),
                List.of(), TrainingConfig.DEFAULTS, 10, 0).configSha256());

        for (double weight : new double[] {0, 10}) {
            RunSpec spec = spec("mmd-gp", weight);
            Properties p = spec.toProperties();
            assertThat(p.getProperty("loss.gradient_penalty")).isEqualTo(Double.toString(weight));
            assertThat(RunSpec.fromProperties(p)).isEqualTo(spec);
            assertThat(spec.configSha256()).isNotEqualTo(byDefault.configSha256());
        }
        assertThat(RunSpec.fromProperties(byDefault.toProperties()).gradientPenalty()).isEqualTo(RunDefaults.GRADIENT_PENALTY);
        assertThat(spec("mmd-gp", -0.0).configSha256()).as("−0 is 0").isEqualTo(spec("mmd-gp", 0).configSha256());
    }

    @Test
    void aWeightThatIsNegativeNotFiniteOrForALossWithoutPenaltyIsRefused() {
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> spec("mmd-gp", bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the gradient penalty's weight λ_GP must be finite and ≥ 0, got " + bad);
        }
        assertThatThrownBy(() -> spec("mmd", 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a gradient penalty weight applies only to the losses mmd-gp, mmd-gp-l2, not to mmd");
    }

    private static RunSpec spec(String loss, double gradientPenalty) {
        return new RunSpec("moons", null, "mlp-2d", 0, loss, 0.5, "rq-mix", List.of(), List.of(), TrainingConfig.DEFAULTS, 10, 0,
                RunDefaults.DATA, gradientPenalty);
    }
}
