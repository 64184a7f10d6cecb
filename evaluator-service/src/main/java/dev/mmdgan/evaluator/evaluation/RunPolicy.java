package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.LearningRateDecaySpec;
import dev.mmdgan.core.relative.DecayConfig;
import org.jboss.logging.Logger;

/**
 * How one run is evaluated, from the settings its checkpoint events carry (its RunConfig's {@code evaluation_every}
 * and {@code lr_decay}) over the service's defaults: which checkpoints, whether the relative test and its decisions
 * run, and the learning-rate rule. A run's rule is fixed by its first evaluation (then saved with its progress).
 *
 * @param evaluationEvery evaluate checkpoints at multiples of this step; 0 = none; {@link #SERVICE_FREQUENCY} = the
 *                        service's every-k-th-checkpoint setting
 * @param decay           run the relative test and publish decisions (false: KID only)
 * @param rule            the learning-rate rule of a run not evaluated before
 */
public record RunPolicy(long evaluationEvery, boolean decay, DecayConfig rule) {

    private static final Logger LOG = Logger.getLogger(RunPolicy.class);

    /** The run left the frequency to the service ({@link EvaluationSettings#evaluateEvery()}). */
    public static final long SERVICE_FREQUENCY = -1;

    /** The service's defaults, for runs whose events carry no settings. */
    public static RunPolicy defaults(EvaluationSettings settings) {
        return new RunPolicy(SERVICE_FREQUENCY, true, settings.decay());
    }

    /**
     * The policy a checkpoint event asks for. The trainer validated the settings when the run started; a value out of
     * range (from another producer) is logged and the service's defaults are used instead.
     */
    public static RunPolicy of(CheckpointPublished event, EvaluationSettings settings) {
        LearningRateDecaySpec d = event.getLrDecay();
        DecayConfig base = settings.decay();
        try {
            DecayConfig rule = new DecayConfig(d.hasWindow() ? d.getWindow() : base.window(),
                    d.hasMaxFailures() ? d.getMaxFailures() : base.maxFailures(),
                    d.hasFactor() ? d.getFactor() : base.decayFactor(), d.hasFloor() ? d.getFloor() : base.floor(),
                    d.hasPThreshold() ? d.getPThreshold() : base.pThreshold());
            long every = event.hasEvaluationEvery() ? event.getEvaluationEvery() : SERVICE_FREQUENCY;
            if (event.hasEvaluationEvery() && every < 0) {
                throw new IllegalArgumentException("evaluation_every must be ≥ 0, got " + every);
            }
            return new RunPolicy(every, !d.hasEnabled() || d.getEnabled(), rule);
        } catch (IllegalArgumentException e) {
            LOG.errorf("run %s: its evaluation settings are out of range (%s); the service's defaults apply",
                    event.getCheckpoint().getRunId(), e.getMessage());
            return defaults(settings);
        }
    }

    /** With a frequency of the run's own: whether the checkpoint at {@code step} is evaluated. */
    boolean picks(long step) {
        return evaluationEvery > 0 && step % evaluationEvery == 0;
    }
}
