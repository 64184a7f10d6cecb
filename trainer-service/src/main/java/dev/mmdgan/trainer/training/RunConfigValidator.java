package dev.mmdgan.trainer.training;

import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.SpectralNorm;
import dev.mmdgan.core.kernel.Kernels;
import dev.mmdgan.engine.data.Datasets;
import dev.mmdgan.engine.graph.Architecture;
import dev.mmdgan.engine.graph.Architectures;
import dev.mmdgan.engine.loss.Losses;
import dev.mmdgan.engine.train.RunDefaults;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.engine.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Checks a {@link RunConfig} completely before anything starts and turns it into the engine's {@link RunSpec}.
 * Every failure names the field (as {@code config.dataset.name}) and what is allowed. Unset optional fields take
 * the {@link RunDefaults}, as in the CLI.
 */
public final class RunConfigValidator {

    /** Upper bound on steps: a guard against typos such as an extra zero, not a hard limit of the engine. */
    public static final long MAX_STEPS = 10_000_000;

    private RunConfigValidator() {
    }

    /** Thrown for an invalid configuration; the message is meant for the caller. */
    public static final class InvalidRunConfig extends IllegalArgumentException {
        public InvalidRunConfig(String message) {
            super(message);
        }
    }

    public static RunSpec validate(RunConfig c, java.util.List<Path> dataRoots) {
        return validate(c);
    }

    public static RunSpec validate(RunConfig c) {
        String dataset = c.getDataset().getName();
        require(!dataset.isEmpty(), "config.dataset.name is required; allowed: " + String.join(", ", Datasets.NAMES));
        require(Datasets.NAMES.contains(dataset), "config.dataset.name: unknown data set '" + dataset + "'; allowed: "
                + String.join(", ", Datasets.NAMES));
        Path path = c.getDataset().getPath().isEmpty() ? null : Path.of(c.getDataset().getPath());
        if (dataset.equals("npy")) {
            require(path != null, "config.dataset.path is required for data set npy (a .npy file on the trainer's disk)");
            require(Files.isRegularFile(path), "config.dataset.path: no such file on the trainer: " + path);
        }
        if (dataset.equals("mnist") || dataset.equals("cifar10")) {
            require(path != null, "config.dataset.path is required for data set " + dataset + " (its folder on the trainer)");
            require(Files.isDirectory(path), "config.dataset.path: no such folder on the trainer: " + path);
        }

        String arch = c.getArchitecture().getName();
        require(!arch.isEmpty(), "config.architecture.name is required; allowed: " + String.join(", ", Architectures.NAMES));
        require(Architectures.NAMES.contains(arch), "config.architecture.name: unknown architecture '" + arch + "'; allowed: "
                + String.join(", ", Architectures.NAMES));
        require(!c.getArchitecture().hasNoiseDim(), "config.architecture.noise_dim is fixed by the preset; leave it unset");
        String loss = c.getLoss().getName().isEmpty() ? "mmd" : c.getLoss().getName();
        require(Losses.NAMES.contains(loss), "config.loss.name: unknown loss '" + loss + "'; allowed: " + String.join(", ", Losses.NAMES));
        int criticDim = c.getArchitecture().hasCriticOutputDim() ? c.getArchitecture().getCriticOutputDim()
                : RunDefaults.criticOutputDim(loss);
        require(!c.getArchitecture().hasCriticOutputDim() || criticDim >= 1,
                "config.architecture.critic_output_dim must be ≥ 1, got " + criticDim);

        long[] shape;
        try {
            shape = Datasets.sampleShape(dataset, path);
        } catch (RuntimeException e) {
            throw new InvalidRunConfig("config.dataset.path: cannot read " + path + ": " + e.getMessage());
        }
        long channels = shape.length == 3 ? shape[0] : 0;
        Architecture a = Architectures.byName(arch, criticDim, channels);
        require(Arrays.equals(a.sampleShape(), shape), "config.architecture.name: " + arch + " makes samples of shape "
                + Arrays.toString(a.sampleShape()) + " but data set " + dataset + " has samples of shape " + Arrays.toString(shape));

        String kernel = c.getKernel().getName().isEmpty() ? RunDefaults.kernel(loss) : c.getKernel().getName();
        require(Kernels.NAMES.contains(kernel), "config.kernel.name: unknown kernel '" + kernel + "'; allowed: "
                + String.join(", ", Kernels.NAMES));
        for (double s : c.getKernel().getSigmasList()) {
            require(s > 0 && Double.isFinite(s), "config.kernel.sigmas must be finite and > 0, got " + s);
        }
        for (double alpha : c.getKernel().getAlphasList()) {
            require(alpha > 0 && Double.isFinite(alpha), "config.kernel.alphas must be finite and > 0, got " + alpha);
        }
        var sigmas = RunDefaults.sigmas(loss, kernel, c.getKernel().getSigmasList());
        var alphas = RunDefaults.alphas(arch, kernel, c.getKernel().getAlphasList());

        require(c.getSteps() >= 1 && c.getSteps() <= MAX_STEPS, "config.steps must be in [1, " + MAX_STEPS + "], got " + c.getSteps());
        int batch = c.hasBatchSize() ? c.getBatchSize() : RunDefaults.batch(arch);
        require(batch >= 2 && batch <= 4096, "config.batch_size must be in [2, 4096] (unbiased MMD² needs pairs), got " + batch);
        int nCritic = c.hasNCritic() ? c.getNCritic() : 5;
        require(nCritic >= 1 && nCritic <= 100, "config.n_critic must be in [1, 100], got " + nCritic);
        double defaultRate = RunDefaults.learningRate(arch);
        var o = c.getOptimizer();
        double lrG = o.hasLrGenerator() ? o.getLrGenerator() : defaultRate;
        double lrD = o.hasLrCritic() ? o.getLrCritic() : defaultRate;
        require(lrG > 0 && lrG < 1, "config.optimizer.lr_generator must be in (0, 1), got " + lrG);
        require(lrD > 0 && lrD < 1, "config.optimizer.lr_critic must be in (0, 1), got " + lrD);
        double beta1 = o.hasBeta1() ? o.getBeta1() : 0.5;
        double beta2 = o.hasBeta2() ? o.getBeta2() : 0.9;
        require(beta1 >= 0 && beta1 < 1, "config.optimizer.beta1 must be in [0, 1), got " + beta1);
        require(beta2 >= 0 && beta2 < 1, "config.optimizer.beta2 must be in [0, 1), got " + beta2);
        require(!o.hasEpsilon(), "config.optimizer.epsilon is not configurable (ND4J's Adam uses 1e-8); leave it unset");

        var r = c.getRegularizers();
        double clip = r.hasGradientClip() ? r.getGradientClip() : 0;
        require(clip >= 0 && Double.isFinite(clip), "config.regularizers.gradient_clip must be ≥ 0 (0 = off), got " + clip);
        double snConstant = r.hasSpectralNormConstant() ? r.getSpectralNormConstant()
                : dev.mmdgan.engine.graph.SpectralNorm.PICO_CONSTANT;
        require(snConstant > 0 && Double.isFinite(snConstant),
                "config.regularizers.spectral_norm_constant must be > 0, got " + snConstant);
        dev.mmdgan.engine.graph.SpectralNorm.Mode mode = switch (r.getSpectralNorm()) {
            case SPECTRAL_NORM_UNSPECIFIED, SPECTRAL_NORM_NONE -> dev.mmdgan.engine.graph.SpectralNorm.Mode.NONE;
            case SPECTRAL_NORM_PIM -> dev.mmdgan.engine.graph.SpectralNorm.Mode.PIM;
            case SPECTRAL_NORM_PICO -> dev.mmdgan.engine.graph.SpectralNorm.Mode.PICO;
            case SPECTRAL_NORM_LEARNED_SCALE -> dev.mmdgan.engine.graph.SpectralNorm.Mode.LEARNED_SCALE;
            case UNRECOGNIZED -> throw new InvalidRunConfig("config.regularizers.spectral_norm: unknown value "
                    + r.getSpectralNormValue() + "; allowed: " + Arrays.toString(allowedSpectralNorms()));
        };

        long checkpointEvery = c.hasCheckpointEvery() ? c.getCheckpointEvery() : 1000;
        require(checkpointEvery >= 0, "config.checkpoint_every must be ≥ 0 (0 = only at the end), got " + checkpointEvery);
        require(!c.hasMetricsEvery() || c.getMetricsEvery() >= 1, "config.metrics_every must be ≥ 1, got " + c.getMetricsEvery());
        double lambda = c.getLoss().hasMmdLambda() ? c.getLoss().getMmdLambda() : 0.5;
        require(Double.isFinite(lambda), "config.loss.mmd_lambda must be finite, got " + lambda);
        long seed = c.hasSeed() ? c.getSeed() : 0;

        TrainingConfig training = new TrainingConfig(batch, nCritic, lrG, lrD, beta1, beta2, clip, seed, mode, snConstant);
        try {
            return new RunSpec(dataset, path, arch, criticDim, loss, lambda, kernel, sigmas, alphas, training, c.getSteps(),
                    checkpointEvery);
        } catch (IllegalArgumentException e) {
            throw new InvalidRunConfig("config: " + e.getMessage());
        }
    }

    private static SpectralNorm[] allowedSpectralNorms() {
        return Arrays.stream(SpectralNorm.values()).filter(v -> v != SpectralNorm.UNRECOGNIZED).toArray(SpectralNorm[]::new);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidRunConfig(message);
        }
    }
}
