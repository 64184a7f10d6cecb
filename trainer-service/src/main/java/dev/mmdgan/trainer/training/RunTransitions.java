package dev.mmdgan.trainer.training;

import static dev.mmdgan.api.v1.RunState.RUN_STATE_COMPLETED;
import static dev.mmdgan.api.v1.RunState.RUN_STATE_FAILED;
import static dev.mmdgan.api.v1.RunState.RUN_STATE_QUEUED;
import static dev.mmdgan.api.v1.RunState.RUN_STATE_RUNNING;
import static dev.mmdgan.api.v1.RunState.RUN_STATE_STOPPED;
import static dev.mmdgan.api.v1.RunState.RUN_STATE_STOPPING;
import static dev.mmdgan.api.v1.RunState.RUN_STATE_UNSPECIFIED;

import dev.mmdgan.api.v1.RunState;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of legal run state changes. Everything else is refused, so that no race (a stop while the data
 * loads, two resumes at once, a restart while stopping) can put a run in a state it should not reach.
 */
public final class RunTransitions {

    private static final Map<RunState, Set<RunState>> LEGAL = Map.of(
            // a new run is accepted
            RUN_STATE_UNSPECIFIED, EnumSet.of(RUN_STATE_QUEUED),
            // training starts; a stop before that (also while the data loads); loading fails
            RUN_STATE_QUEUED, EnumSet.of(RUN_STATE_RUNNING, RUN_STATE_STOPPED, RUN_STATE_FAILED),
            // stop requested; the last step is done; an error; the service restarted and re-queues the run
            RUN_STATE_RUNNING, EnumSet.of(RUN_STATE_STOPPING, RUN_STATE_COMPLETED, RUN_STATE_FAILED, RUN_STATE_QUEUED),
            // the final checkpoint is stored (or the service restarted while stopping); an error
            RUN_STATE_STOPPING, EnumSet.of(RUN_STATE_STOPPED, RUN_STATE_FAILED),
            // resume
            RUN_STATE_STOPPED, EnumSet.of(RUN_STATE_QUEUED),
            RUN_STATE_FAILED, EnumSet.of(RUN_STATE_QUEUED),
            RUN_STATE_COMPLETED, EnumSet.of(RUN_STATE_QUEUED));

    /** States from which ResumeRun may continue a run. */
    public static final Set<RunState> RESUMABLE = EnumSet.of(RUN_STATE_STOPPED, RUN_STATE_FAILED, RUN_STATE_COMPLETED);

    private RunTransitions() {
    }

    public static boolean isLegal(RunState from, RunState to) {
        return LEGAL.getOrDefault(from, Set.of()).contains(to);
    }

    /** Whether a run in this state will not train again unless resumed. */
    public static boolean isFinal(RunState state) {
        return RESUMABLE.contains(state);
    }

    /** Thrown for a state change the table does not allow: a bug in the caller, never a user error. */
    public static final class IllegalTransition extends IllegalStateException {
        IllegalTransition(String runId, RunState from, RunState to) {
            super("run " + runId + ": " + from + " -> " + to + " is not a legal state change");
        }
    }
}
