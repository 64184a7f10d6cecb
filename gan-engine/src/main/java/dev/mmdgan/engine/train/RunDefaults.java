package dev.mmdgan.engine.train;

import dev.mmdgan.engine.loss.Losses;
import java.util.List;

/**
 * What a run gets for the settings its user leaves unset: docs/methods.md §6, except for the {@code mlp-2d} toy, which
 * follows seed 000's 2-D recipe with a rate that learns the moons in 2,000 steps. The CLI and the trainer service
 * both take their defaults from here.
 */
public final class RunDefaults {

    private RunDefaults() {
    }

    private static boolean toy(String architecture) {
        return architecture.equals("mlp-2d");
    }

    public static int batch(String architecture) {
        return toy(architecture) ? 128 : 64;
    }

    /** Both networks' Adam learning rate. */
    public static double learningRate(String architecture) {
        return toy(architecture) ? 1e-3 : 1e-4;
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
}
