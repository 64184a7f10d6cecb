package dev.mmdgan.engine.train;

import dev.mmdgan.engine.graph.Initialization;
import dev.mmdgan.engine.graph.SpectralNorm;

/**
 * Hyper-parameters of a run.
 *
 * @param batch        samples per batch, real and fake alike
 * @param nCritic      critic updates per generator step
 * @param lrGenerator  Adam learning rate of the generator
 * @param lrCritic     Adam learning rate of the critic
 * @param beta1        Adam β1
 * @param beta2        Adam β2
 * @param gradientClip per-variable gradient-norm clip, 0 for none
 * @param seed         seed of weights, noise and batches
 * @param spectralNorm spectral normalization of the critic's weights
 * @param spectralNormConstant C of PICO's W̄ = C·W/σ (use {@code Math.pow(c, 1.0 / layers)} for a total C^K);
 *                     ignored by the other modes
 * @param initialization how weights and biases are first drawn
 */
public record TrainingConfig(int batch, int nCritic, double lrGenerator, double lrCritic, double beta1, double beta2,
                             double gradientClip, long seed, SpectralNorm.Mode spectralNorm,
                             double spectralNormConstant, Initialization initialization) {

    /**
     * The {@link RunDefaults} of every architecture but the mlp-2d toy (docs/methods.md §6), with He-normal weights: a
     * run that says nothing gets its architecture's initialization from {@link RunDefaults#training(String)}.
     */
    public static final TrainingConfig DEFAULTS = new TrainingConfig(RunDefaults.BATCH, RunDefaults.N_CRITIC,
            RunDefaults.LEARNING_RATE, RunDefaults.LEARNING_RATE, RunDefaults.BETA1, RunDefaults.BETA2, RunDefaults.GRADIENT_CLIP,
            RunDefaults.SEED, RunDefaults.SPECTRAL_NORM, RunDefaults.SPECTRAL_NORM_CONSTANT, Initialization.HE_NORMAL);

    public TrainingConfig {
        java.util.Objects.requireNonNull(initialization, "initialization");
        positive("batch", batch);
        positive("n-critic", nCritic);
        if (batch < 2) {
            throw new IllegalArgumentException("batch must be ≥ 2 (unbiased MMD² needs pairs), got " + batch);
        }
        rate("lr-g", lrGenerator);
        rate("lr-d", lrCritic);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (!(spectralNormConstant > 0) || !Double.isFinite(spectralNormConstant)) {
            throw new IllegalArgumentException("spectral norm constant must be > 0, got " + spectralNormConstant);
        }
        if (!(gradientClip >= 0)) {
            throw new IllegalArgumentException("gradient clip must be ≥ 0 (0 = off), got " + gradientClip);
        }
    }

    public TrainingConfig withBatch(int batch) {
        return new TrainingConfig(batch, nCritic, lrGenerator, lrCritic, beta1, beta2, gradientClip, seed, spectralNorm,
                spectralNormConstant, initialization);
    }

    public TrainingConfig withNCritic(int nCritic) {
        return new TrainingConfig(batch, nCritic, lrGenerator, lrCritic, beta1, beta2, gradientClip, seed, spectralNorm,
                spectralNormConstant, initialization);
    }

    public TrainingConfig withLearningRates(double lrGenerator, double lrCritic) {
        return new TrainingConfig(batch, nCritic, lrGenerator, lrCritic, beta1, beta2, gradientClip, seed, spectralNorm,
                spectralNormConstant, initialization);
    }

    public TrainingConfig withSeed(long seed) {
        return new TrainingConfig(batch, nCritic, lrGenerator, lrCritic, beta1, beta2, gradientClip, seed, spectralNorm,
                spectralNormConstant, initialization);
    }

    /** The critic's spectral normalization, as configured. */
    public SpectralNorm newSpectralNorm() {
        return new SpectralNorm(spectralNorm, spectralNorm == SpectralNorm.Mode.PICO ? spectralNormConstant : 1);
    }

    public TrainingConfig withSpectralNorm(SpectralNorm.Mode spectralNorm) {
        return new TrainingConfig(batch, nCritic, lrGenerator, lrCritic, beta1, beta2, gradientClip, seed, spectralNorm,
                spectralNormConstant, initialization);
    }

    public TrainingConfig withInitialization(Initialization initialization) {
        return new TrainingConfig(batch, nCritic, lrGenerator, lrCritic, beta1, beta2, gradientClip, seed, spectralNorm,
                spectralNormConstant, initialization);
    }

    private static void positive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be ≥ 1, got " + v);
        }
    }

    private static void rate(String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be a finite learning rate > 0, got " + v);
        }
    }
}
