package dev.mmdgan.trainer.training;

import static dev.mmdgan.trainer.training.Checks.finite;
import static dev.mmdgan.trainer.training.Checks.inRange;
import static dev.mmdgan.trainer.training.Checks.notConfigurable;
import static dev.mmdgan.trainer.training.Checks.quote;
import static dev.mmdgan.trainer.training.Checks.require;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.mmdgan.api.v1.ArchitectureSpec;
import dev.mmdgan.api.v1.LearningRateDecaySpec;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.SpectralNorm;
import dev.mmdgan.engine.data.DataOptions;
import dev.mmdgan.engine.graph.Architecture;
import dev.mmdgan.engine.graph.Initialization;
import dev.mmdgan.engine.graph.Architectures;
import dev.mmdgan.engine.train.RunDefaults;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.engine.train.TrainingConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Checks a {@link RunConfig} completely before anything starts and turns it into the engine's {@link RunSpec}.
 * Every failure names the field (as {@code config.dataset.name}) and what is allowed, and quotes at most a short
 * prefix of user text. Unset optional fields take the {@link RunDefaults}, as in the CLI.
 * Every field of RunConfig is either checked and passed on, or refused when set because the engine cannot honour it
 * yet: none is silently ignored. The data set is checked by {@link DatasetValidator}, the networks, loss and kernel
 * by {@link ModelValidator}.
 */
public final class RunConfigValidator {

    /** Upper bound on steps: a guard against typos such as an extra zero, not a hard limit of the engine. */
    public static final long MAX_STEPS = 10_000_000;
    static final int MAX_BATCH = 4096;
    static final int MAX_DISPLAY_NAME = 256;
    /** Bound on lr_decay.window and lr_decay.max_failures. */
    static final int MAX_DECAY_COUNT = 1000;

    private RunConfigValidator() {
    }

    /** Thrown for an invalid configuration; the message is meant for the caller. */
    public static final class InvalidRunConfig extends IllegalArgumentException {
        public InvalidRunConfig(String message) {
            super(message);
        }
    }

    /**
     * @param dataRoots the folders a request may name data in ({@code config.dataset.path}); empty: none
     */
    public static RunSpec validate(RunConfig c, List<Path> dataRoots) {
        refuseUnknownFields("config", c);
        DatasetValidator.Checked data = DatasetValidator.check(c.getDataset(), new DataRoots(dataRoots));
        ModelValidator.Model model = ModelValidator.check(c);
        requireShapesMatch(model, data);
        TrainingConfig training = training(c, model.architecture());
        DataOptions dataOptions = DatasetValidator.options(c.getDataset(), data, training.batch());

        long checkpointEvery = c.hasCheckpointEvery() ? c.getCheckpointEvery() : RunDefaults.CHECKPOINT_EVERY;
        require(checkpointEvery >= 0, "config.checkpoint_every must be ≥ 0 (0 = only at the end), got " + checkpointEvery);
        require(!c.hasMetricsEvery() || c.getMetricsEvery() >= 1, "config.metrics_every must be ≥ 1, got " + c.getMetricsEvery());
        evaluatorSettings(c, checkpointEvery);
        require(c.getDisplayName().length() <= MAX_DISPLAY_NAME, "config.display_name must be at most " + MAX_DISPLAY_NAME
                + " characters, got " + c.getDisplayName().length());

        DatasetValidator.scanValues(data);
        try {
            return new RunSpec(data.name(), data.path(), model.architecture(), model.criticOutputDim(), model.loss(),
                    model.lambda(), model.kernel(), model.sigmas(), model.alphas(), training, c.getSteps(), checkpointEvery,
                    dataOptions, model.gradientPenalty());
        } catch (IllegalArgumentException e) {
            throw new InvalidRunConfig("config: " + e.getMessage()); // a check above is missing: still the caller's error
        }
    }

    /**
     * Fields this build does not know (sent by a newer client) would otherwise be dropped without a word: refuse them,
     * in every message of the config.
     */
    private static void refuseUnknownFields(String path, Message m) {
        require(m.getUnknownFields().asMap().isEmpty(), path + " has fields this trainer does not know (numbers "
                + quote(m.getUnknownFields().asMap().keySet().toString()) + "); leave them unset or update the trainer");
        for (var e : m.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated()) {
                refuseUnknownFields(path + "." + f.getName(), (Message) e.getValue());
            }
        }
    }

    private static void requireShapesMatch(ModelValidator.Model model, DatasetValidator.Checked data) {
        long[] shape = data.sampleShape();
        long channels = shape.length == 3 ? shape[0] : 0;
        Architecture a = Architectures.byName(model.architecture(), model.criticOutputDim(), channels);
        require(Arrays.equals(a.sampleShape(), shape), "config.architecture.name: " + model.architecture() + " makes samples of shape "
                + Arrays.toString(a.sampleShape()) + " but data set " + data.name() + " has samples of shape " + Arrays.toString(shape));
    }

    /** Steps, batch, critic updates, seed, optimizer and regularizers. */
    private static TrainingConfig training(RunConfig c, String arch) {
        require(c.getSteps() >= 1 && c.getSteps() <= MAX_STEPS, "config.steps must be in [1, " + MAX_STEPS + "], got " + c.getSteps());
        int batch = c.hasBatchSize() ? c.getBatchSize() : RunDefaults.batch(arch);
        require(batch >= 2 && batch <= MAX_BATCH, "config.batch_size must be in [2, " + MAX_BATCH
                + "] (unbiased MMD² needs pairs), got " + batch);
        int nCritic = c.hasNCritic() ? c.getNCritic() : RunDefaults.N_CRITIC;
        require(nCritic >= 1 && nCritic <= 100, "config.n_critic must be in [1, 100], got " + nCritic);
        double defaultRate = RunDefaults.learningRate(arch);
        var o = c.getOptimizer();
        double lrG = o.hasLrGenerator() ? o.getLrGenerator() : defaultRate;
        double lrD = o.hasLrCritic() ? o.getLrCritic() : defaultRate;
        require(lrG > 0 && lrG < 1, "config.optimizer.lr_generator must be in (0, 1), got " + lrG);
        require(lrD > 0 && lrD < 1, "config.optimizer.lr_critic must be in (0, 1), got " + lrD);
        double beta1 = o.hasBeta1() ? o.getBeta1() : RunDefaults.BETA1;
        double beta2 = o.hasBeta2() ? o.getBeta2() : RunDefaults.BETA2;
        require(beta1 >= 0 && beta1 < 1, "config.optimizer.beta1 must be in [0, 1), got " + beta1);
        require(beta2 >= 0 && beta2 < 1, "config.optimizer.beta2 must be in [0, 1), got " + beta2);
        require(!o.hasEpsilon(), "config.optimizer.epsilon is not configurable (ND4J's Adam uses 1e-8); leave it unset");

        var r = c.getRegularizers();
        double clip = r.hasGradientClip() ? r.getGradientClip() : RunDefaults.GRADIENT_CLIP;
        require(clip >= 0 && Double.isFinite(clip), "config.regularizers.gradient_clip must be ≥ 0 (0 = off), got " + clip);
        double snConstant = r.hasSpectralNormConstant() ? r.getSpectralNormConstant() : RunDefaults.SPECTRAL_NORM_CONSTANT;
        require(snConstant > 0 && Double.isFinite(snConstant),
                "config.regularizers.spectral_norm_constant must be > 0, got " + snConstant);
        dev.mmdgan.engine.graph.SpectralNorm.Mode mode = switch (r.getSpectralNorm()) {
            case SPECTRAL_NORM_UNSPECIFIED -> RunDefaults.SPECTRAL_NORM;
            case SPECTRAL_NORM_NONE -> dev.mmdgan.engine.graph.SpectralNorm.Mode.NONE;
            case SPECTRAL_NORM_PIM -> dev.mmdgan.engine.graph.SpectralNorm.Mode.PIM;
            case SPECTRAL_NORM_PICO -> dev.mmdgan.engine.graph.SpectralNorm.Mode.PICO;
            case SPECTRAL_NORM_LEARNED_SCALE -> dev.mmdgan.engine.graph.SpectralNorm.Mode.LEARNED_SCALE;
            case UNRECOGNIZED -> throw new InvalidRunConfig("config.regularizers.spectral_norm: unknown value "
                    + r.getSpectralNormValue() + "; allowed: " + Arrays.toString(allowedSpectralNorms()));
        };
        // The other modes ignore C: a value given with them would be dropped without a word.
        Checks.notApplicable(r.hasSpectralNormConstant() && mode != dev.mmdgan.engine.graph.SpectralNorm.Mode.PICO,
                "config.regularizers.spectral_norm_constant", "spectral_norm " + r.getSpectralNorm() + " (only to SPECTRAL_NORM_PICO)");
        long seed = c.hasSeed() ? c.getSeed() : RunDefaults.SEED;
        return new TrainingConfig(batch, nCritic, lrG, lrD, beta1, beta2, clip, seed, mode, snConstant,
                initialization(c.getArchitecture(), arch));
    }

    private static Initialization initialization(ArchitectureSpec a, String arch) {
        return switch (a.getInitialization()) {
            case INITIALIZATION_UNSPECIFIED -> RunDefaults.initialization(arch);
            case INITIALIZATION_HE_NORMAL -> Initialization.HE_NORMAL;
            case INITIALIZATION_PYTORCH -> Initialization.PYTORCH;
            case INITIALIZATION_DCGAN -> Initialization.DCGAN;
            case UNRECOGNIZED -> throw new InvalidRunConfig("config.architecture.initialization: unknown value "
                    + a.getInitializationValue() + "; allowed: " + Arrays.toString(Arrays.stream(
                    dev.mmdgan.api.v1.Initialization.values()).filter(v -> v != dev.mmdgan.api.v1.Initialization.UNRECOGNIZED)
                    .toArray()));
        };
    }

    private static SpectralNorm[] allowedSpectralNorms() {
        return Arrays.stream(SpectralNorm.values()).filter(v -> v != SpectralNorm.UNRECOGNIZED).toArray(SpectralNorm[]::new);
    }

    /**
     * Settings of the evaluator's side (how often to evaluate, the KID-driven decay rule): range-checked here, carried
     * to the evaluator on each checkpoint event, applied there.
     */
    private static void evaluatorSettings(RunConfig c, long checkpointEvery) {
        if (c.hasEvaluationEvery()) {
            long every = c.getEvaluationEvery();
            require(every >= 0, "config.evaluation_every must be ≥ 0 (0 = never), got " + every);
            require(every == 0 || checkpointEvery == 0 || every % checkpointEvery == 0, "config.evaluation_every (" + every
                    + ") must be a multiple of config.checkpoint_every (" + checkpointEvery + "): only checkpoints are evaluated");
            require(every == 0 || checkpointEvery != 0 || c.getSteps() % every == 0, "config.evaluation_every (" + every
                    + ") picks no checkpoint: with checkpoint_every 0 the only one is at step " + c.getSteps());
        }
        LearningRateDecaySpec d = c.getLrDecay();
        Checks.notApplicable(d.hasEnabled() && !d.getEnabled() && (d.hasFactor() || d.hasFloor() || d.hasWindow()
                || d.hasMaxFailures() || d.hasPThreshold()), "config.lr_decay's rule (factor, floor, window, max_failures, p_threshold)",
                "a run with lr_decay.enabled false, which gets KID only");
        if (d.hasFactor()) {
            finite("config.lr_decay.factor", d.getFactor(), d.getFactor() > 0 && d.getFactor() < 1, "in (0, 1)");
        }
        if (d.hasFloor()) {
            finite("config.lr_decay.floor", d.getFloor(), d.getFloor() >= 0 && d.getFloor() < 1, "in [0, 1)");
        }
        if (d.hasWindow()) {
            inRange("config.lr_decay.window", d.getWindow(), 1, MAX_DECAY_COUNT);
        }
        if (d.hasMaxFailures()) {
            inRange("config.lr_decay.max_failures", d.getMaxFailures(), 1, MAX_DECAY_COUNT);
        }
        if (d.hasPThreshold()) {
            finite("config.lr_decay.p_threshold", d.getPThreshold(), d.getPThreshold() > 0 && d.getPThreshold() < 1, "in (0, 1)");
        }
    }
}
