package dev.mmdgan.core.relative;

/**
 * What the scheduler concluded from one evaluation.
 *
 * @param kind               WARMUP (window still filling, no test), PASS, FAIL or DECAY
 * @param step               generator step of this evaluation
 * @param test               the relative test, or {@code null} for WARMUP
 * @param previousStep       step of the earlier sample Z the test compared with (−1 for WARMUP)
 * @param learningRateBefore learning rate before this evaluation
 * @param learningRateAfter  learning rate after it (differs only for DECAY, unless already at the floor)
 */
public record DecayDecision(Kind kind, long step, RelativeTestResult test, long previousStep,
                            double learningRateBefore, double learningRateAfter) {

    public enum Kind { WARMUP, PASS, FAIL, DECAY }

    /** The factor to apply to every learning rate (1 unless DECAY). */
    public double factor() {
        return learningRateBefore == 0 ? 1 : learningRateAfter / learningRateBefore;
    }
}
