package dev.mmdgan.engine.train;

/**
 * Losses and timings of one generator step.
 *
 * @param step              generator steps completed, this one included
 * @param criticLoss        critic loss of the last critic update of this step
 * @param generatorLoss     generator loss of the generator update
 * @param criticMillis      mean wall time of one critic update in this step
 * @param maxCriticMillis   slowest critic update in this step
 * @param generatorMillis   wall time of the generator update
 */
public record StepResult(long step, double criticLoss, double generatorLoss, double criticMillis, double maxCriticMillis,
                         double generatorMillis) {

    /** Same step and losses (timings differ from run to run). */
    public boolean sameOutcome(StepResult other) {
        return step == other.step && Double.compare(criticLoss, other.criticLoss) == 0
                && Double.compare(generatorLoss, other.generatorLoss) == 0;
    }
}
