package dev.mmdgan.engine.train;

/**
 * Losses of one generator step.
 *
 * @param step          generator steps completed, this one included
 * @param criticLoss    critic loss of the last critic update of this step
 * @param generatorLoss generator loss of the generator update
 */
public record StepResult(long step, double criticLoss, double generatorLoss) {
}
