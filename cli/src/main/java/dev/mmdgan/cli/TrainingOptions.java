package dev.mmdgan.cli;

import com.google.protobuf.MessageOrBuilder;
import dev.mmdgan.api.v1.ArchitectureSpec;
import dev.mmdgan.api.v1.DatasetSpec;
import dev.mmdgan.api.v1.KernelSpec;
import dev.mmdgan.api.v1.LossSpec;
import dev.mmdgan.api.v1.OptimizerSpec;
import dev.mmdgan.api.v1.RegularizerSpec;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.engine.graph.Initialization;
import dev.mmdgan.engine.graph.SpectralNorm;
import dev.mmdgan.engine.loss.Losses;
import dev.mmdgan.engine.train.RunDefaults;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.engine.train.TrainingConfig;
import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options that define a run (a picocli mixin), shared by {@code train} and {@code runs start}. Unset options stay
 * null: {@link #toRunSpec} fills in the {@link RunDefaults}; {@link #toRunConfig} sends only what was set, so the
 * trainer fills in the same defaults.
 */
final class TrainingOptions {

    @Option(names = "--dataset", required = true,
            description = "moons, fashion-mnist, mnist, cifar10 or npy (--data gives the folder or .npy file).")
    String dataset;

    @Option(names = "--data", paramLabel = "PATH", description = "Data folder (fashion-mnist: the Debian package's by default; "
            + "mnist, cifar10) or .npy file; for 'runs start', on the trainer's side.")
    String data;

    @Mixin
    ModelOptions model;

    @Option(names = "--loss", description = "Loss (default: " + RunDefaults.LOSS + ").")
    String loss;

    @Option(names = "--lambda", description = "λ of mmd-lambda (default: " + RunDefaults.MMD_LAMBDA + ").")
    Double lambda;

    @Option(names = "--gradient-penalty", paramLabel = "λ", description = "λ_GP, the gradient penalty's weight in mmd-gp and "
            + "mmd-gp-l2 (default: " + RunDefaults.GRADIENT_PENALTY + "; 0 turns the penalty off).")
    Double gradientPenalty;

    @Option(names = "--steps", required = true, description = "Generator steps to train in total (train --resume continues up to this step).")
    long steps;

    @Option(names = "--n-critic", description = "Critic updates per generator step (default: " + RunDefaults.N_CRITIC + ").")
    Integer nCritic;

    @Option(names = "--lr-g", description = "Generator learning rate (default: " + RunDefaults.TOY_LEARNING_RATE + " for mlp-2d, "
            + RunDefaults.LEARNING_RATE + " otherwise).")
    Double lrG;

    @Option(names = "--lr-d", description = "Critic learning rate (default: as --lr-g).")
    Double lrD;

    @Option(names = "--beta1", description = "Adam β1 (default: " + RunDefaults.BETA1 + ").")
    Double beta1;

    @Option(names = "--beta2", description = "Adam β2 (default: " + RunDefaults.BETA2 + ").")
    Double beta2;

    @Option(names = "--gradient-clip", description = "Per-variable gradient-norm clip, 0 = off (default: " + RunDefaults.GRADIENT_CLIP
            + ").")
    Double gradientClip;

    @Option(names = "--spectral-norm", description = "Spectral normalization of the critic: none, pim, pico, learned-scale "
            + "(default: none).")
    String spectralNorm;

    @Option(names = "--sn-constant", paramLabel = "C",
            description = "PICO's C in W̄ = C·W/σ (default 1/0.55, the paper's; the authors' scripts use 64^(1/layers)).")
    Double snConstant;

    @Option(names = "--init", description = "How weights are first drawn: he-normal, pytorch (PyTorch's layer defaults) or dcgan "
            + "(N(0, 0.02²)) (default: pytorch; he-normal for mlp-2d).")
    String init;

    @Option(names = "--seed", description = "Seed (default: " + RunDefaults.SEED + ").")
    Long seed;

    @Option(names = "--checkpoint-every", description = "Checkpoint interval in steps, 0 = only at the end (default: "
            + RunDefaults.CHECKPOINT_EVERY + ").")
    Long checkpointEvery;

    String loss() {
        return loss != null ? loss : RunDefaults.LOSS;
    }

    /** The run these options describe, unset ones at their {@link RunDefaults}. */
    RunSpec toRunSpec() {
        String arch = model.arch;
        String l = loss();
        double rate = RunDefaults.learningRate(arch);
        TrainingConfig training = new TrainingConfig(model.batch(), or(nCritic, RunDefaults.N_CRITIC), or(lrG, rate), or(lrD, rate),
                or(beta1, RunDefaults.BETA1), or(beta2, RunDefaults.BETA2), or(gradientClip, RunDefaults.GRADIENT_CLIP),
                or(seed, RunDefaults.SEED), spectralNorm != null ? SpectralNorm.Mode.byName(spectralNorm) : RunDefaults.SPECTRAL_NORM,
                or(snConstant, RunDefaults.SPECTRAL_NORM_CONSTANT),
                init != null ? Initialization.byName(init) : RunDefaults.initialization(arch));
        if (gradientPenalty != null && !Losses.GRADIENT_PENALTY.contains(l)) { // even at the default: the trainer refuses it too
            throw new IllegalArgumentException("--gradient-penalty applies only to the losses " + String.join(", ", Losses.GRADIENT_PENALTY)
                    + ", not to " + l);
        }
        return new RunSpec(dataset, data == null ? null : Path.of(data), arch, model.criticDim(l), l, or(lambda, RunDefaults.MMD_LAMBDA),
                model.kernelName(l), model.sigmas(l), model.alphas(l), training, steps,
                or(checkpointEvery, RunDefaults.CHECKPOINT_EVERY), RunDefaults.DATA, or(gradientPenalty, RunDefaults.GRADIENT_PENALTY));
    }

    /** The trainer's RunConfig for these options: only what was set, the rest left to the trainer's defaults. */
    RunConfig.Builder toRunConfig() {
        RunConfig.Builder c = RunConfig.newBuilder().setSteps(steps)
                .setDataset(DatasetSpec.newBuilder().setName(dataset).setPath(data == null ? "" : data));
        ArchitectureSpec.Builder a = ArchitectureSpec.newBuilder().setName(model.arch);
        ifSet(model.criticDim, a::setCriticOutputDim);
        ifSet(init == null ? null : initialization(init), a::setInitialization);
        c.setArchitecture(a);
        LossSpec.Builder l = LossSpec.newBuilder();
        ifSet(loss, l::setName);
        ifSet(lambda, l::setMmdLambda);
        ifSet(gradientPenalty, l::setGradientPenalty);
        KernelSpec.Builder k = KernelSpec.newBuilder().addAllSigmas(model.sigmas).addAllAlphas(model.alphas);
        ifSet(model.kernel, k::setName);
        OptimizerSpec.Builder o = OptimizerSpec.newBuilder();
        ifSet(lrG, o::setLrGenerator);
        ifSet(lrD, o::setLrCritic);
        ifSet(beta1, o::setBeta1);
        ifSet(beta2, o::setBeta2);
        RegularizerSpec.Builder r = RegularizerSpec.newBuilder();
        ifSet(spectralNorm == null ? null : spectralNorm(spectralNorm), r::setSpectralNorm);
        ifSet(snConstant, r::setSpectralNormConstant);
        ifSet(gradientClip, r::setGradientClip);
        if (any(l)) {
            c.setLoss(l);
        }
        if (any(k)) {
            c.setKernel(k);
        }
        if (any(o)) {
            c.setOptimizer(o);
        }
        if (any(r)) {
            c.setRegularizers(r);
        }
        ifSet(model.batch, c::setBatchSize);
        ifSet(nCritic, c::setNCritic);
        ifSet(seed, c::setSeed);
        ifSet(checkpointEvery, c::setCheckpointEvery);
        return c;
    }

    private static dev.mmdgan.api.v1.Initialization initialization(String name) {
        return switch (Initialization.byName(name)) {
            case HE_NORMAL -> dev.mmdgan.api.v1.Initialization.INITIALIZATION_HE_NORMAL;
            case PYTORCH -> dev.mmdgan.api.v1.Initialization.INITIALIZATION_PYTORCH;
            case DCGAN -> dev.mmdgan.api.v1.Initialization.INITIALIZATION_DCGAN;
        };
    }

    private static dev.mmdgan.api.v1.SpectralNorm spectralNorm(String name) {
        return switch (name) {
            case "none" -> dev.mmdgan.api.v1.SpectralNorm.SPECTRAL_NORM_NONE;
            case "pim" -> dev.mmdgan.api.v1.SpectralNorm.SPECTRAL_NORM_PIM;
            case "pico" -> dev.mmdgan.api.v1.SpectralNorm.SPECTRAL_NORM_PICO;
            case "learned-scale" -> dev.mmdgan.api.v1.SpectralNorm.SPECTRAL_NORM_LEARNED_SCALE;
            default -> throw new IllegalArgumentException("unknown spectral norm '" + name + "'; allowed: none, pim, pico, learned-scale");
        };
    }

    private static <T> T or(T given, T otherwise) {
        return given != null ? given : otherwise;
    }

    private static <T> void ifSet(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    /** Whether a message has a field set; an empty one is not sent. */
    private static boolean any(MessageOrBuilder m) {
        return !m.getAllFields().isEmpty();
    }
}
