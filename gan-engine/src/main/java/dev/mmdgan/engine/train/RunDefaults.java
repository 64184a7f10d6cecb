package dev.mmdgan.engine.train;

import dev.mmdgan.engine.data.DataOptions;
import dev.mmdgan.engine.graph.Initialization;
import dev.mmdgan.engine.graph.SpectralNorm;
import dev.mmdgan.engine.loss.GradientPenaltyLoss;
import dev.mmdgan.engine.loss.Losses;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run gets for the settings its user leaves unset: docs/methods.md §6, except for the {@code mlp-2d} toy, which
 * follows seed 000's 2-D recipe with a rate that learns the moons in 2,000 steps. The one source of these defaults:
 * {@code mmdgan train}, {@code runs start} and {@code bench train}, the trainer service's RunConfig validator and
 * the RunConfig comments in trainer.proto all take them from here (RunDefaultsTest pins the table).
 */
public final class RunDefaults {

    public static final String LOSS = "mmd";
    /** λ of mmd-lambda. */
    public static final double MMD_LAMBDA = 0.5;
    /** λ_GP of mmd-gp and mmd-gp-l2: 1, seed 000's choice (10, WGAN-GP's, is too restrictive for MMD critics). */
    public static final double GRADIENT_PENALTY = GradientPenaltyLoss.DEFAULT_WEIGHT;
    /** Batch size of every architecture but the toy. */
    public static final int BATCH = 64;
    public static final int TOY_BATCH = 128;
    /** Both networks' Adam learning rate, every architecture but the toy. */
    public static final double LEARNING_RATE = 1e-4;
    public static final double TOY_LEARNING_RATE = 1e-3;
    /** Critic updates per generator step. */
    public static final int N_CRITIC = 5;
    /** Adam's moments. */
    public static final double BETA1 = 0.5;
    public static final double BETA2 = 0.9;
    /** Per-variable gradient-norm clip: off. */
    public static final double GRADIENT_CLIP = 0;
    public static final long SEED = 0;
    public static final SpectralNorm.Mode SPECTRAL_NORM = SpectralNorm.Mode.NONE;
    /** PICO's C, 1/0.55. */
    public static final double SPECTRAL_NORM_CONSTANT = SpectralNorm.PICO_CONSTANT;
    /**
     * How the image presets' weights are first drawn: PyTorch's layer defaults, which train dcgan-28 on Fashion-MNIST
     * to a lower KID than He-normal at equal steps (docs/quality.md).
     */
    public static final Initialization IMAGE_INITIALIZATION = Initialization.PYTORCH;
    /** The mlp-2d toy keeps He-normal, with which seed 000's 2-D figures of the README were made. */
    public static final Initialization TOY_INITIALIZATION = Initialization.HE_NORMAL;
    /** Checkpoint interval in generator steps. */
    public static final long CHECKPOINT_EVERY = 1000;
    /** The trainer service's metrics interval in generator steps (its operator may set another). */
    public static final int METRICS_EVERY = 10;
    /** Holdout share 0.1, 10,000 moons points with noise 0.1. */
    public static final DataOptions DATA = DataOptions.DEFAULTS;

    private RunDefaults() {
    }

    private static boolean toy(String architecture) {
        return architecture.equals("mlp-2d");
    }

    public static int batch(String architecture) {
        return toy(architecture) ? TOY_BATCH : BATCH;
    }

    /** Both networks' Adam learning rate. */
    public static double learningRate(String architecture) {
        return toy(architecture) ? TOY_LEARNING_RATE : LEARNING_RATE;
    }

    /** 1 for the scalar-critic losses, else 0: the architecture's own default. */
    public static int criticOutputDim(String loss) {
        return Losses.SCALAR_CRITIC.contains(loss) ? 1 : 0;
    }

    /** {@code given} if set, else {@link #criticOutputDim(String)}. */
    public static int criticOutputDim(String loss, Integer given) {
        return given != null ? given : criticOutputDim(loss);
    }

    /** rbf-mix for the scalar-critic losses, rq-mix otherwise. */
    public static String kernel(String loss) {
        return Losses.SCALAR_CRITIC.contains(loss) ? "rbf-mix" : "rq-mix";
    }

    /** σ = 1 for rbf-mix under a scalar-critic loss; otherwise the kernel's own defaults. */
    public static List<Double> sigmas(String loss, String kernel, List<Double> given) {
        return given.isEmpty() && kernel.equals("rbf-mix") && Losses.SCALAR_CRITIC.contains(loss) ? List.of(1.0) : given;
    }

    /** α ∈ {0.2, 1, 5} for rq-mix on mlp-2d (seed 000); otherwise the kernel's own defaults. */
    public static List<Double> alphas(String architecture, String kernel, List<Double> given) {
        return given.isEmpty() && kernel.startsWith("rq-mix") && toy(architecture) ? List.of(0.2, 1.0, 5.0) : given;
    }

    /** How {@code architecture}'s weights are first drawn when a run does not say. */
    public static Initialization initialization(String architecture) {
        return toy(architecture) ? TOY_INITIALIZATION : IMAGE_INITIALIZATION;
    }

    /** Optimizer, batch, seed, regularizer and initialization settings of {@code architecture}. */
    public static TrainingConfig training(String architecture) {
        double rate = learningRate(architecture);
        return TrainingConfig.DEFAULTS.withBatch(batch(architecture)).withLearningRates(rate, rate)
                .withInitialization(initialization(architecture));
    }

    /**
     * The run that sets only its data, architecture, loss and steps: every other setting at its default, as
     * {@code mmdgan train} and the trainer's StartRun make it.
     */
    public static RunSpec spec(String dataset, Path dataPath, String architecture, String loss, long steps) {
        String kernel = kernel(loss);
        return new RunSpec(dataset, dataPath, architecture, criticOutputDim(loss), loss, MMD_LAMBDA, kernel,
                sigmas(loss, kernel, List.of()), alphas(architecture, kernel, List.of()), training(architecture), steps,
                CHECKPOINT_EVERY, DATA);
    }
}
