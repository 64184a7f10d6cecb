package dev.mmdgan.engine.train;

import dev.mmdgan.core.io.Sha256;
import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.kernel.Kernels;
import dev.mmdgan.engine.data.DataOptions;
import dev.mmdgan.engine.data.Dataset;
import dev.mmdgan.engine.data.Datasets;
import dev.mmdgan.engine.graph.Architectures;
import dev.mmdgan.engine.graph.Initialization;
import dev.mmdgan.engine.graph.SpectralNorm;
import dev.mmdgan.engine.loss.Losses;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Everything that defines a run, by name: enough to rebuild the trainer from a checkpoint.
 *
 * @param dataset         data set name
 * @param dataPath        file or folder for data sets read from disk, or null
 * @param architecture    architecture name
 * @param criticOutputDim s, the critic's output dimension (0 = the architecture's default)
 * @param loss            loss name
 * @param lambda          λ of mmd-lambda
 * @param kernel          kernel name
 * @param sigmas          kernel bandwidths (empty = defaults)
 * @param alphas          kernel shape parameters (empty = defaults)
 * @param training        optimizer, batch and seed settings
 * @param steps           generator steps to train
 * @param checkpointEvery checkpoint every this many steps (0 = only at the end)
 * @param data            holdout share and moons size and noise ({@link RunDefaults#DATA} unless configured)
 * @param gradientPenalty λ_GP of mmd-gp and mmd-gp-l2 ({@link RunDefaults#GRADIENT_PENALTY}; other losses take only that)
 */
public record RunSpec(String dataset, Path dataPath, String architecture, int criticOutputDim, String loss, double lambda,
                      String kernel, List<Double> sigmas, List<Double> alphas, TrainingConfig training, long steps,
                      long checkpointEvery, DataOptions data, double gradientPenalty) {

    /** A run whose gradient penalty, if its loss has one, has the default weight. */
    public RunSpec(String dataset, Path dataPath, String architecture, int criticOutputDim, String loss, double lambda,
                   String kernel, List<Double> sigmas, List<Double> alphas, TrainingConfig training, long steps,
                   long checkpointEvery, DataOptions data) {
        this(dataset, dataPath, architecture, criticOutputDim, loss, lambda, kernel, sigmas, alphas, training, steps,
                checkpointEvery, data, RunDefaults.GRADIENT_PENALTY);
    }

    /** A run with the default {@link DataOptions}. */
    public RunSpec(String dataset, Path dataPath, String architecture, int criticOutputDim, String loss, double lambda,
                   String kernel, List<Double> sigmas, List<Double> alphas, TrainingConfig training, long steps,
                   long checkpointEvery) {
        this(dataset, dataPath, architecture, criticOutputDim, loss, lambda, kernel, sigmas, alphas, training, steps,
                checkpointEvery, RunDefaults.DATA);
    }

    public RunSpec {
        java.util.Objects.requireNonNull(data, "data");
        sigmas = List.copyOf(sigmas);
        alphas = List.copyOf(alphas);
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be ≥ 1, got " + steps);
        }
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpoint interval must be ≥ 0 (0 = only at the end), got " + checkpointEvery);
        }
        gradientPenalty += 0.0; // −0 becomes 0, so that both describe the run alike
        if (!(gradientPenalty >= 0) || Double.isInfinite(gradientPenalty)) {
            throw new IllegalArgumentException("the gradient penalty's weight λ_GP must be finite and ≥ 0, got " + gradientPenalty);
        }
        if (gradientPenalty != RunDefaults.GRADIENT_PENALTY && !Losses.GRADIENT_PENALTY.contains(loss)) {
            throw new IllegalArgumentException("a gradient penalty weight applies only to the losses "
                    + String.join(", ", Losses.GRADIENT_PENALTY) + ", not to " + loss);
        }
        // Fail on unknown names now, before any data is read.
        Losses.byName(loss, Kernels.byName(kernel, sigmas, alphas), lambda, gradientPenalty);
        Architectures.byName(architecture, criticOutputDim, 0);
    }

    public Kernel buildKernel() {
        return Kernels.byName(kernel, sigmas, alphas);
    }

    /** Loads the data and builds a freshly initialized trainer. */
    public MmdGanTrainer newTrainer() {
        Dataset loaded = Datasets.load(dataset, dataPath, training.seed(), data);
        long channels = loaded.sampleShape().length == 3 ? loaded.sampleShape()[0] : 0;
        return new MmdGanTrainer(loaded, Architectures.byName(architecture, criticOutputDim, channels),
                Losses.byName(loss, buildKernel(), lambda, gradientPenalty), training);
    }

    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("dataset", dataset);
        if (dataPath != null) {
            p.setProperty("dataset.path", dataPath.toString());
        }
        p.setProperty("architecture", architecture);
        p.setProperty("architecture.critic_output_dim", Integer.toString(criticOutputDim));
        p.setProperty("loss", loss);
        p.setProperty("loss.lambda", Double.toString(lambda));
        if (gradientPenalty != RunDefaults.GRADIENT_PENALTY) { // absent = the default: older runs keep their config hash
            p.setProperty("loss.gradient_penalty", Double.toString(gradientPenalty));
        }
        p.setProperty("kernel", kernel);
        p.setProperty("kernel.sigmas", join(sigmas));
        p.setProperty("kernel.alphas", join(alphas));
        p.setProperty("batch", Integer.toString(training.batch()));
        p.setProperty("n_critic", Integer.toString(training.nCritic()));
        p.setProperty("lr_generator", Double.toString(training.lrGenerator()));
        p.setProperty("lr_critic", Double.toString(training.lrCritic()));
        p.setProperty("beta1", Double.toString(training.beta1()));
        p.setProperty("beta2", Double.toString(training.beta2()));
        p.setProperty("gradient_clip", Double.toString(training.gradientClip()));
        p.setProperty("seed", Long.toString(training.seed()));
        p.setProperty("spectral_norm", training.spectralNorm().label());
        p.setProperty("spectral_norm.constant", Double.toString(training.spectralNormConstant()));
        if (training.initialization() != Initialization.HE_NORMAL) { // absent = he-normal: older runs keep their config hash
            p.setProperty("init", training.initialization().label());
        }
        p.setProperty("steps", Long.toString(steps));
        p.setProperty("checkpoint_every", Long.toString(checkpointEvery));
        p.setProperty("dataset.holdout_fraction", Double.toString(data.holdoutFraction()));
        p.setProperty("dataset.moons_points", Integer.toString(data.moonsPoints()));
        p.setProperty("dataset.moons_noise", Double.toString(data.moonsNoise()));
        return p;
    }

    /**
     * The run description's canonical text: the {@link #toProperties()} entries as {@code key=value} lines sorted by
     * key, each ending in a newline. Two runs described alike have the same text, whatever the order of writing.
     */
    public String canonicalText() {
        Properties p = toProperties();
        return p.stringPropertyNames().stream().sorted().map(k -> k + "=" + p.getProperty(k) + "\n").collect(Collectors.joining());
    }

    /** SHA-256 of {@link #canonicalText()} (UTF-8): the run configuration's identity in provenance. */
    public String configSha256() {
        return Sha256.ofText(canonicalText());
    }

    public static RunSpec fromProperties(Properties p) {
        TrainingConfig training = new TrainingConfig(integer(p, "batch"), integer(p, "n_critic"), real(p, "lr_generator"),
                real(p, "lr_critic"), real(p, "beta1"), real(p, "beta2"), real(p, "gradient_clip"), Long.parseLong(get(p, "seed")),
                SpectralNorm.Mode.byName(p.getProperty("spectral_norm", "none")),
                Double.parseDouble(p.getProperty("spectral_norm.constant", Double.toString(SpectralNorm.PICO_CONSTANT))),
                // Runs described before the choice existed were He-normal.
                Initialization.byName(p.getProperty("init", Initialization.HE_NORMAL.label())));
        String path = p.getProperty("dataset.path");
        // Runs described before the data options existed used the defaults.
        DataOptions data = new DataOptions(
                Double.parseDouble(p.getProperty("dataset.holdout_fraction", Double.toString(DataOptions.DEFAULTS.holdoutFraction()))),
                Integer.parseInt(p.getProperty("dataset.moons_points", Integer.toString(DataOptions.DEFAULTS.moonsPoints()))),
                Double.parseDouble(p.getProperty("dataset.moons_noise", Double.toString(DataOptions.DEFAULTS.moonsNoise()))));
        return new RunSpec(get(p, "dataset"), path == null ? null : Path.of(path), get(p, "architecture"),
                integer(p, "architecture.critic_output_dim"), get(p, "loss"), real(p, "loss.lambda"), get(p, "kernel"),
                list(p.getProperty("kernel.sigmas", "")), list(p.getProperty("kernel.alphas", "")), training,
                Long.parseLong(get(p, "steps")), Long.parseLong(get(p, "checkpoint_every")), data,
                Double.parseDouble(p.getProperty("loss.gradient_penalty", Double.toString(RunDefaults.GRADIENT_PENALTY))));
    }

    public RunSpec withSteps(long steps) {
        return new RunSpec(dataset, dataPath, architecture, criticOutputDim, loss, lambda, kernel, sigmas, alphas, training,
                steps, checkpointEvery, data, gradientPenalty);
    }

    private static String join(List<Double> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static List<Double> list(String s) {
        return s.isBlank() ? List.of() : Arrays.stream(s.split(",")).map(Double::valueOf).toList();
    }

    private static String get(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("run description lacks '" + key + "'");
        }
        return v;
    }

    private static int integer(Properties p, String key) {
        return Integer.parseInt(get(p, key));
    }

    private static double real(Properties p, String key) {
        return Double.parseDouble(get(p, key));
    }
}
