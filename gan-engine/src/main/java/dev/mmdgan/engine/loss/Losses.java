package dev.mmdgan.engine.loss;

import dev.mmdgan.core.kernel.BoundedGaussianKernel;
import dev.mmdgan.core.kernel.Kernel;
import java.util.List;

/** Builds losses by name. */
public final class Losses {

    /** The losses this engine trains with today. */
    public static final List<String> NAMES = List.of("mmd", "mmd-gp", "mmd-gp-l2", "smmd", "smmd-value-and-grad", "swgan", "mmd-rep",
            "mmd-lambda", "mmd-rep-b", "mmd-rbf-b", "mmd-rep-gp", "mmd-clip");

    /** Losses whose critic has one output (their default critic output dimension). */
    public static final List<String> SCALAR_CRITIC = List.of("smmd", "smmd-value-and-grad", "swgan", "mmd-rep-gp");

    /** Losses with a gradient penalty, whose weight λ_GP is a setting. */
    public static final List<String> GRADIENT_PENALTY = List.of("mmd-gp", "mmd-gp-l2");

    /** Losses that bring their own kernel and ignore the one given to {@link #byName}. */
    public static final List<String> OWN_KERNEL = List.of("swgan", "mmd-rep-b", "mmd-rbf-b");

    private Losses() {
    }

    /**
     * @param kernel critic kernel (ignored by the rbf-b losses, which use {@code rbf-b} with its defaults)
     * @param lambda λ of {@code mmd-lambda}
     */
    public static GanLoss byName(String name, Kernel kernel, double lambda) {
        return byName(name, kernel, lambda, GradientPenaltyLoss.DEFAULT_WEIGHT);
    }

    /**
     * @param kernel          critic kernel (ignored by the rbf-b losses, which use {@code rbf-b} with its defaults)
     * @param lambda          λ of {@code mmd-lambda}
     * @param gradientPenalty λ_GP of the {@link #GRADIENT_PENALTY} losses
     */
    public static GanLoss byName(String name, Kernel kernel, double lambda, double gradientPenalty) {
        return switch (name) {
            case "mmd" -> MmdLambdaLoss.attractive(kernel);
            case "mmd-gp" -> new GradientPenaltyLoss(kernel, gradientPenalty, 0);
            case "mmd-gp-l2" -> new GradientPenaltyLoss(kernel, gradientPenalty, GradientPenaltyLoss.DEFAULT_L2_WEIGHT);
            case "smmd" -> new ScaledMmdLoss(kernel, ScaledMmdLoss.DEFAULT_LAMBDA, false);
            case "smmd-value-and-grad" -> new ScaledMmdLoss(kernel, ScaledMmdLoss.DEFAULT_LAMBDA, true);
            case "swgan" -> new ScaledWassersteinLoss(ScaledWassersteinLoss.DEFAULT_LAMBDA);
            case "mmd-rep-gp" -> new RepulsiveGradientScaledLoss(kernel, RepulsiveGradientScaledLoss.DEFAULT_LAMBDA);
            case "mmd-rep" -> MmdLambdaLoss.repulsive(kernel);
            case "mmd-lambda" -> new MmdLambdaLoss("mmd-lambda", kernel, lambda);
            case "mmd-rep-b" -> BoundedKernelLoss.repulsive(BoundedGaussianKernel.DEFAULT);
            case "mmd-rbf-b" -> BoundedKernelLoss.attractive(BoundedGaussianKernel.DEFAULT);
            case "mmd-clip" -> new ClippedMmdLoss(kernel, ClippedMmdLoss.DEFAULT_CLIP);
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'; allowed: " + String.join(", ", NAMES));
        };
    }
}
