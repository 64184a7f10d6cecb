package dev.mmdgan.trainer.training;

import static dev.mmdgan.api.v1.RunState.RUN_STATE_COMPLETED;
import static dev.mmdgan.api.v1.RunState.RUN_STATE_FAILED;
import static dev.mmdgan.api.v1.RunState.RUN_STATE_QUEUED;
import static dev.mmdgan.api.v1.RunState.RUN_STATE_RUNNING;
import static dev.mmdgan.api.v1.RunState.RUN_STATE_STOPPED;
import static dev.mmdgan.api.v1.RunState.RUN_STATE_STOPPING;
import static dev.mmdgan.api.v1.RunState.RUN_STATE_UNSPECIFIED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.api.v1.RunState;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The table of legal state changes, pair by pair. */
class RunTransitionsTest {

    private static final Set<List<RunState>> LEGAL = Set.of(
            List.of(RUN_STATE_UNSPECIFIED, RUN_STATE_QUEUED),
            List.of(RUN_STATE_QUEUED, RUN_STATE_RUNNING), List.of(RUN_STATE_QUEUED, RUN_STATE_STOPPED),
            List.of(RUN_STATE_QUEUED, RUN_STATE_FAILED),
            List.of(RUN_STATE_RUNNING, RUN_STATE_STOPPING), List.of(RUN_STATE_RUNNING, RUN_STATE_COMPLETED),
            List.of(RUN_STATE_RUNNING, RUN_STATE_FAILED), List.of(RUN_STATE_RUNNING, RUN_STATE_QUEUED),
            List.of(RUN_STATE_STOPPING, RUN_STATE_STOPPED), List.of(RUN_STATE_STOPPING, RUN_STATE_FAILED),
            List.of(RUN_STATE_STOPPED, RUN_STATE_QUEUED), List.of(RUN_STATE_FAILED, RUN_STATE_QUEUED),
            List.of(RUN_STATE_COMPLETED, RUN_STATE_QUEUED));

    @Test
    void everyPairIsLegalExactlyWhenTheTableSaysSo() {
        List<RunState> states = Arrays.stream(RunState.values()).filter(s -> s != RunState.UNRECOGNIZED).toList();
        int checked = 0;
        for (RunState from : states) {
            for (RunState to : states) {
                assertThat(RunTransitions.isLegal(from, to)).as(from + " -> " + to).isEqualTo(LEGAL.contains(List.of(from, to)));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(49);
        assertThat(RunTransitions.isLegal(RunState.UNRECOGNIZED, RUN_STATE_QUEUED)).isFalse();
        assertThat(RunTransitions.isLegal(RUN_STATE_QUEUED, RunState.UNRECOGNIZED)).isFalse();
    }

    @Test
    void onlyStoppedFailedAndCompletedRunsAreFinal() {
        assertThat(Arrays.stream(RunState.values()).filter(RunTransitions::isFinal))
                .containsExactlyInAnyOrder(RUN_STATE_STOPPED, RUN_STATE_FAILED, RUN_STATE_COMPLETED);
    }
}
