package dev.mmdgan.trainer.training;

import static dev.mmdgan.trainer.training.Checks.finite;
import static dev.mmdgan.trainer.training.Checks.inRange;
import static dev.mmdgan.trainer.training.Checks.notApplicable;
import static dev.mmdgan.trainer.training.Checks.notConfigurable;
import static dev.mmdgan.trainer.training.Checks.quote;
import static dev.mmdgan.trainer.training.Checks.require;

import dev.mmdgan.api.v1.ArchitectureSpec;
import dev.mmdgan.api.v1.KernelSpec;
import dev.mmdgan.api.v1.LossSpec;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.core.kernel.BoundedGaussianKernel;
import dev.mmdgan.core.kernel.Kernels;
import dev.mmdgan.engine.graph.Architectures;
import dev.mmdgan.engine.loss.ClippedMmdLoss;
import dev.mmdgan.engine.loss.GradientPenaltyLoss;
import dev.mmdgan.engine.loss.Losses;
import dev.mmdgan.engine.loss.RepulsiveGradientScaledLoss;
import dev.mmdgan.engine.loss.ScaledMmdLoss;
import dev.mmdgan.engine.train.RunDefaults;
import java.util.List;

/** Checks {@code config.architecture}, {@code config.loss} and {@code config.kernel}. */
final class ModelValidator {

    /** Largest critic output dimension: the critic's last layer and the kernel's features grow with it. */
    static final int MAX_CRITIC_OUTPUT_DIM = 4096;
    /** Most sigmas or alphas a kernel may be given. */
    static final int MAX_KERNEL_PARAMETERS = 32;
    private static final List<String> SMMD_VARIANTS = List.of("grad", "value_and_grad");

    private ModelValidator() {
    }

    /** The checked networks, loss and kernel, by the engine's names, defaults filled in. */
    record Model(String architecture, int criticOutputDim, String loss, double lambda, double gradientPenalty, String kernel,
                 List<Double> sigmas, List<Double> alphas) {
    }

    static Model check(RunConfig c) {
        ArchitectureSpec a = c.getArchitecture();
        String arch = a.getName();
        String allowed = String.join(", ", Architectures.NAMES);
        require(!arch.isEmpty(), "config.architecture.name is required; allowed: " + allowed);
        require(Architectures.NAMES.contains(arch), "config.architecture.name: unknown architecture '" + quote(arch) + "'; allowed: "
                + allowed);
        require(!a.hasNoiseDim(), "config.architecture.noise_dim is fixed by the preset; leave it unset");
        String loss = loss(c.getLoss());
        int criticDim = a.hasCriticOutputDim() ? a.getCriticOutputDim() : RunDefaults.criticOutputDim(loss);
        require(!a.hasCriticOutputDim() || criticDim >= 1, "config.architecture.critic_output_dim must be ≥ 1, got " + criticDim);
        require(criticDim <= MAX_CRITIC_OUTPUT_DIM, "config.architecture.critic_output_dim must be ≤ " + MAX_CRITIC_OUTPUT_DIM
                + ", got " + criticDim);
        noise(a);
        // The DCGAN presets always normalize the generator's batches and the MLP never does: only that can be asked for.
        boolean batchNorm = arch.startsWith("dcgan");
        require(!a.hasGeneratorBatchNorm() || a.getGeneratorBatchNorm() == batchNorm, "config.architecture.generator_batch_norm: "
                + arch + (batchNorm ? " always has" : " has no") + " batch norm in its generator; leave it unset");

        String kernel = kernel(c, loss);
        List<Double> sigmas = RunDefaults.sigmas(loss, kernel, c.getKernel().getSigmasList());
        List<Double> alphas = RunDefaults.alphas(arch, kernel, c.getKernel().getAlphasList());
        return new Model(arch, criticDim, loss, lambda(c.getLoss(), loss), gradientPenalty(c.getLoss(), loss), kernel, sigmas, alphas);
    }

    private static void noise(ArchitectureSpec a) {
        switch (a.getNoise()) {
            case NOISE_DISTRIBUTION_UNSPECIFIED, NOISE_DISTRIBUTION_NORMAL -> {
            }
            case NOISE_DISTRIBUTION_UNIFORM -> throw new RunConfigValidator.InvalidRunConfig("config.architecture.noise "
                    + "NOISE_DISTRIBUTION_UNIFORM is not supported yet (the engine draws z from a standard normal); "
                    + "leave it unset or NOISE_DISTRIBUTION_NORMAL");
            case UNRECOGNIZED -> throw new RunConfigValidator.InvalidRunConfig("config.architecture.noise: unknown value "
                    + a.getNoiseValue() + "; allowed: NOISE_DISTRIBUTION_NORMAL, NOISE_DISTRIBUTION_UNIFORM");
        }
    }

    /** The loss's engine name: smmd's variant selects between smmd and smmd-value-and-grad. Its knobs are checked too. */
    private static String loss(LossSpec l) {
        String loss = l.getName().isEmpty() ? RunDefaults.LOSS : l.getName();
        require(Losses.NAMES.contains(loss), "config.loss.name: unknown loss '" + quote(loss) + "'; allowed: "
                + String.join(", ", Losses.NAMES));
        String variant = l.getSmmdVariant();
        if (!variant.isEmpty()) {
            require(SMMD_VARIANTS.contains(variant), "config.loss.smmd_variant: unknown variant '" + quote(variant) + "'; allowed: "
                    + String.join(", ", SMMD_VARIANTS));
            notApplicable(!loss.startsWith("smmd"), "config.loss.smmd_variant", "loss " + loss);
            String chosen = variant.equals("grad") ? "smmd" : "smmd-value-and-grad";
            require(loss.equals("smmd") || loss.equals(chosen), "config.loss.smmd_variant '" + variant
                    + "' contradicts loss " + loss + "; use loss smmd with it");
            loss = chosen;
        }
        lossKnobs(l);
        return loss;
    }

    /** Weights the engine fixes today: range-checked, then refused when set. */
    private static void lossKnobs(LossSpec l) {
        double l2 = l.getL2Penalty();
        finite("config.loss.l2_penalty", l2, l2 >= 0, "finite and ≥ 0");
        double smmd = l.hasSmmdLambda() ? l.getSmmdLambda() : ScaledMmdLoss.DEFAULT_LAMBDA;
        finite("config.loss.smmd_lambda", smmd, smmd > 0, "finite and > 0");
        double rep = l.getRepGpLambda();
        finite("config.loss.rep_gp_lambda", rep, rep >= 0, "finite and ≥ 0");
        double clip = l.hasWeightClip() ? l.getWeightClip() : ClippedMmdLoss.DEFAULT_CLIP;
        finite("config.loss.weight_clip", clip, clip > 0, "finite and > 0");
        notConfigurable(l.hasL2Penalty(), "config.loss.l2_penalty", "the engine uses " + GradientPenaltyLoss.DEFAULT_L2_WEIGHT);
        notConfigurable(l.hasSmmdLambda(), "config.loss.smmd_lambda", "the engine uses " + ScaledMmdLoss.DEFAULT_LAMBDA);
        notConfigurable(l.hasRepGpLambda(), "config.loss.rep_gp_lambda", "the engine uses " + RepulsiveGradientScaledLoss.DEFAULT_LAMBDA);
        notConfigurable(l.hasWeightClip(), "config.loss.weight_clip", "the engine uses " + ClippedMmdLoss.DEFAULT_CLIP);
    }

    /** λ_GP of the losses with a gradient penalty, the only ones that read it. */
    private static double gradientPenalty(LossSpec l, String loss) {
        double gp = l.hasGradientPenalty() ? l.getGradientPenalty() : RunDefaults.GRADIENT_PENALTY;
        finite("config.loss.gradient_penalty", gp, gp >= 0, "finite and ≥ 0");
        notApplicable(l.hasGradientPenalty() && !Losses.GRADIENT_PENALTY.contains(loss), "config.loss.gradient_penalty", "loss " + loss);
        return gp;
    }

    /** λ of mmd-lambda, the only loss that reads it. */
    private static double lambda(LossSpec l, String loss) {
        double lambda = l.hasMmdLambda() ? l.getMmdLambda() : RunDefaults.MMD_LAMBDA;
        require(Double.isFinite(lambda), "config.loss.mmd_lambda must be finite, got " + lambda);
        notApplicable(l.hasMmdLambda() && !loss.equals("mmd-lambda"), "config.loss.mmd_lambda", "loss " + loss);
        return lambda;
    }

    /** The kernel's name, its sigmas and alphas checked; its other parameters are fixed by the engine today. */
    private static String kernel(RunConfig c, String loss) {
        KernelSpec k = c.getKernel();
        String kernel = k.getName().isEmpty() ? RunDefaults.kernel(loss) : k.getName();
        require(Kernels.NAMES.contains(kernel), "config.kernel.name: unknown kernel '" + quote(kernel) + "'; allowed: "
                + String.join(", ", Kernels.NAMES));
        notApplicable(c.hasKernel() && Losses.OWN_KERNEL.contains(loss), "config.kernel", "loss " + loss + ", which brings its own kernel");
        parameters("config.kernel.sigmas", k.getSigmasList());
        parameters("config.kernel.alphas", k.getAlphasList());
        int maxSigmas = Kernels.maxSigmas(kernel);
        require(k.getSigmasCount() == 0 || maxSigmas > 0, "config.kernel.sigmas: kernel '" + kernel
                + "' takes no sigmas; sigmas apply to rbf-mix, laplace and rbf-b");
        require(k.getSigmasCount() <= maxSigmas, "config.kernel.sigmas: kernel '" + kernel + "' takes one sigma, got "
                + k.getSigmasCount());
        require(k.getAlphasCount() == 0 || Kernels.takesAlphas(kernel), "config.kernel.alphas: kernel '" + kernel
                + "' takes no alphas; alphas apply to rq-mix and rq-mix-dot");

        finite("config.kernel.dot_weight", k.getDotWeight(), k.getDotWeight() >= 0, "finite and ≥ 0");
        inRange("config.kernel.poly_degree", k.hasPolyDegree() ? k.getPolyDegree() : 3, 1, 10);
        double gamma = k.hasPolyGamma() ? k.getPolyGamma() : 1;
        finite("config.kernel.poly_gamma", gamma, gamma > 0, "finite and > 0");
        finite("config.kernel.poly_coef", k.getPolyCoef(), k.getPolyCoef() >= 0, "finite and ≥ 0");
        double lower = k.hasLowerBound() ? k.getLowerBound() : BoundedGaussianKernel.DEFAULT.lowerBound();
        finite("config.kernel.lower_bound", lower, lower >= 0, "finite and ≥ 0");
        double upper = k.hasUpperBound() ? k.getUpperBound() : BoundedGaussianKernel.DEFAULT.upperBound();
        finite("config.kernel.upper_bound", upper, upper > lower, "finite and > lower_bound (" + lower + ")");
        notConfigurable(k.hasDotWeight(), "config.kernel.dot_weight", "rq-mix-dot uses 1");
        String poly = "poly is the KID kernel: degree 3, gamma 1/dimension, coef 1";
        notConfigurable(k.hasPolyDegree(), "config.kernel.poly_degree", poly);
        notConfigurable(k.hasPolyGamma(), "config.kernel.poly_gamma", poly);
        notConfigurable(k.hasPolyCoef(), "config.kernel.poly_coef", poly);
        String bounds = "rbf-b uses " + BoundedGaussianKernel.DEFAULT.lowerBound() + " and " + BoundedGaussianKernel.DEFAULT.upperBound();
        notConfigurable(k.hasLowerBound(), "config.kernel.lower_bound", bounds);
        notConfigurable(k.hasUpperBound(), "config.kernel.upper_bound", bounds);
        return kernel;
    }

    private static void parameters(String field, List<Double> values) {
        require(values.size() <= MAX_KERNEL_PARAMETERS, field + " may hold at most " + MAX_KERNEL_PARAMETERS + " values, got "
                + values.size());
        for (double v : values) {
            require(v > 0 && Double.isFinite(v), field + " must be finite and > 0, got " + v);
        }
    }
}
