package dev.mmdgan.engine.train;

import dev.mmdgan.engine.data.Dataset;
import dev.mmdgan.engine.graph.Architecture;
import dev.mmdgan.engine.graph.ArrayPool;
import dev.mmdgan.engine.graph.BatchNorm;
import dev.mmdgan.engine.graph.GradientFunctions;
import dev.mmdgan.engine.graph.Parameters;
import dev.mmdgan.engine.graph.SpectralNorm;
import dev.mmdgan.engine.loss.GanLoss;
import dev.mmdgan.engine.loss.LossInputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Trains an MMD GAN: each generator step is {@code nCritic} critic updates then one generator update.
 *
 * <p>Two SameDiff graphs share the parameter arrays: one ends in the critic loss and is differentiated for
 * the critic's weights, the other ends in the generator loss and is differentiated for the generator's. Noise
 * and batches for step t come from a random stream seeded by (seed, t), so a run is reproducible and can be
 * resumed at any step without saved RNG state.
 */
public final class MmdGanTrainer {

    /** The distribution of the generator's noise z: independent N(0, 1) components. */
    public static final String NOISE_DISTRIBUTION = "standard-normal";

    private static final String REAL = "real";
    private static final String NOISE = "z";
    private static final String MIXING = "u";
    private static final String COEFFICIENT = "loss_coefficient";
    private static final String CRITIC_LOSS = "critic_loss";
    private static final String GENERATOR_LOSS = "generator_loss";

    /** Samples generated per sampler call. */
    private static final int GENERATION_CHUNK = 250;
    /** Most bytes of op outputs each graph (critic, generator, sampler) keeps for reuse between calls ({@link ArrayPool}). */
    private static final long POOL_BYTES = 2L << 30;

    private final Dataset data;
    private final Architecture architecture;
    private final GanLoss loss;
    private final TrainingConfig config;
    private final Parameters generator;
    private final Parameters critic;
    private final SameDiff criticGraph;
    private final SameDiff generatorGraph;
    private final SameDiff sampler;
    private SameDiff criticInference;
    private final AdamOptimizer criticOptimizer;
    private final AdamOptimizer generatorOptimizer;
    private long step;
    private double lossCoefficient;

    public MmdGanTrainer(Dataset data, Architecture architecture, GanLoss loss, TrainingConfig config) {
        if (!Arrays.equals(data.sampleShape(), architecture.sampleShape())) {
            throw new IllegalArgumentException("architecture " + architecture.name() + " makes samples of shape "
                    + Arrays.toString(architecture.sampleShape()) + " but data set " + data.name() + " has samples of shape "
                    + Arrays.toString(data.sampleShape()));
        }
        this.data = data;
        this.architecture = architecture;
        this.loss = loss;
        this.config = config;
        this.lossCoefficient = loss.initialCoefficient();
        this.generator = new Parameters("G/", DataType.FLOAT, new SpectralNorm(SpectralNorm.Mode.NONE), config.initialization());
        this.critic = new Parameters("D/", DataType.FLOAT, config.newSpectralNorm(), config.initialization());
        architecture.initialize(generator, critic, new Random(config.seed()));
        if (config.spectralNorm() == SpectralNorm.Mode.PICO) {
            critic.spectralNorm().iterate(critic); // so that σ is defined before the first update
        }
        this.criticGraph = lossGraph(true);
        this.generatorGraph = lossGraph(false);
        this.sampler = buildSamplerGraph();
        this.criticOptimizer = new AdamOptimizer(critic, config.lrCritic(), config.beta1(), config.beta2(), config.gradientClip());
        this.generatorOptimizer = new AdamOptimizer(generator, config.lrGenerator(), config.beta1(), config.beta2(),
                config.gradientClip());
    }

    private SameDiff lossGraph(boolean forCritic) {
        SameDiff sd = SameDiff.create();
        SDVariable real = sd.placeHolder(REAL, DataType.FLOAT, config.batch(), architecture.sampleSize());
        SDVariable z = sd.placeHolder(NOISE, DataType.FLOAT, config.batch(), architecture.noiseDim());
        SDVariable mixing = sd.placeHolder(MIXING, DataType.FLOAT, config.batch(), 1);
        SDVariable fake = architecture.generator(sd, z, generator, true);
        SDVariable coefficient = sd.placeHolder(COEFFICIENT, DataType.FLOAT);
        LossInputs in = forCritic
                ? LossInputs.stacked(sd, architecture, critic, real, fake, mixing, coefficient, config.batch(),
                        loss.usesInterpolates())
                : LossInputs.of(sd, architecture, critic, real, fake, mixing, coefficient);
        SDVariable l = forCritic ? loss.criticLoss(in, config.batch()) : loss.generatorLoss(in, config.batch());
        l.rename(forCritic ? CRITIC_LOSS : GENERATOR_LOSS);
        sd.setLossVariables(l);
        GradientFunctions.build(sd);
        return sd;
    }

    private SameDiff buildSamplerGraph() {
        SameDiff sd = SameDiff.create();
        SDVariable z = sd.placeHolder(NOISE, DataType.FLOAT, -1, architecture.noiseDim());
        architecture.generator(sd, z, generator, false).rename("samples");
        return sd;
    }

    /** One generator step: nCritic critic updates, then one generator update. */
    public StepResult trainStep() {
        SplittableRandom random = new SplittableRandom(config.seed() * 1_000_003L + step);
        double criticLoss = Double.NaN;
        double criticTotal = 0;
        double criticMax = 0;
        for (int k = 0; k < config.nCritic(); k++) {
            long t = System.nanoTime();
            criticLoss = update(criticGraph, CRITIC_LOSS, critic, criticOptimizer, random);
            if (loss.criticWeightClip() > 0) {
                double c = loss.criticWeightClip();
                critic.arrays().values().forEach(w -> Transforms.min(Transforms.max(w, -c, false), c, false));
            }
            double ms = (System.nanoTime() - t) / 1e6;
            criticTotal += ms;
            criticMax = Math.max(criticMax, ms);
        }
        long t = System.nanoTime();
        double generatorLoss = update(generatorGraph, GENERATOR_LOSS, generator, generatorOptimizer, random);
        double generatorMs = (System.nanoTime() - t) / 1e6;
        step++;
        return new StepResult(step, criticLoss, generatorLoss, criticTotal / config.nCritic(), criticMax, generatorMs);
    }

    private double update(SameDiff graph, String lossName, Parameters params, AdamOptimizer optimizer, SplittableRandom random) {
        if (params == critic) {
            critic.spectralNorm().iterate(critic); // one power iteration per critic update
        }
        Map<String, INDArray> feed = new HashMap<>(critic.spectralNorm().feed());
        feed.put(REAL, realBatch(random));
        feed.put(NOISE, noise(random, config.batch()));
        feed.put(MIXING, uniform(random, config.batch()));
        feed.put(COEFFICIENT, Nd4j.scalar((float) lossCoefficient));
        // The generator update also folds the batch-norm statistics of its batch into the running ones.
        Map<String, String[]> statistics = params == generator ? generator.batchStatistics(graph) : Map.of();
        List<String> outputs = new ArrayList<>(List.of(lossName));
        statistics.values().forEach(names -> outputs.addAll(List.of(names)));
        ArrayPool.attach(graph, POOL_BYTES);
        OutAndGrad result = graph.calculateGradientsAndOutputs(feed, outputs, params.names());
        optimizer.step(result.getGradients());
        statistics.forEach((layer, names) -> {
            BatchNorm.updateRunning(generator.get(layer + "_mean"), result.getOutputs().get(names[0]));
            BatchNorm.updateRunning(generator.get(layer + "_var"), result.getOutputs().get(names[1]));
        });
        double value = result.getOutputs().get(lossName).getDouble(0);
        ArrayPool.recycle(graph); // nothing of this call is referenced any more
        return value;
    }

    private INDArray realBatch(SplittableRandom random) {
        return data.train().getRows(data.batchIndices(random, config.batch()));
    }

    private INDArray noise(SplittableRandom random, int n) {
        float[] z = new float[n * architecture.noiseDim()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return Nd4j.create(z, new long[] {n, architecture.noiseDim()}, 'c');
    }

    private static INDArray uniform(SplittableRandom random, int n) {
        float[] u = new float[n];
        for (int i = 0; i < n; i++) {
            u[i] = (float) random.nextDouble();
        }
        return Nd4j.create(u, new long[] {n, 1}, 'c');
    }

    /** Critic features φ(x) of samples x: [n, criticOutputDim]. */
    public INDArray criticFeatures(INDArray x) {
        if (criticInference == null) {
            SameDiff sd = SameDiff.create();
            architecture.critic(sd, sd.placeHolder(REAL, DataType.FLOAT, -1, architecture.sampleSize()), critic).features()
                    .rename("features");
            criticInference = sd;
        }
        Map<String, INDArray> feed = new HashMap<>(critic.spectralNorm().feed());
        feed.put(REAL, x.castTo(DataType.FLOAT));
        return criticInference.output(feed, "features").get("features");
    }

    /**
     * A learning-rate decay (the evaluator's DECAY decision): both learning rates and the loss's coefficient
     * (SMMD's λ) are multiplied by {@code factor}; learning rates stay ≥ {@code floor}.
     */
    public void decay(double factor, double floor) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("decay factor must be in (0, 1], got " + factor);
        }
        generatorOptimizer.setLearningRate(Math.max(generatorOptimizer.learningRate() * factor, floor));
        criticOptimizer.setLearningRate(Math.max(criticOptimizer.learningRate() * factor, floor));
        lossCoefficient *= factor;
    }

    /** The loss's current decaying coefficient (SMMD's λ), 0 if it has none. */
    public double lossCoefficient() {
        return lossCoefficient;
    }

    public void setLossCoefficient(double value) {
        this.lossCoefficient = value;
    }

    /** n samples from noise seeded by {@code seed}: [n, sampleSize], made in chunks of 250 with reused memory. */
    public INDArray generate(int n, long seed) {
        INDArray z = noise(new SplittableRandom(seed), n);
        INDArray out = Nd4j.create(DataType.FLOAT, n, architecture.sampleSize());
        ArrayPool.attach(sampler, POOL_BYTES);
        for (int from = 0; from < n; from += GENERATION_CHUNK) {
            int to = Math.min(n, from + GENERATION_CHUNK);
            INDArray chunk = z.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
            out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all())
                    .assign(sampler.output(Map.of(NOISE, chunk), "samples").get("samples"));
            ArrayPool.recycle(sampler);
        }
        return out;
    }

    /** Attaches listeners (e.g. SameDiff's ProfilingListener) to the critic, generator and sampler graphs. */
    public void addListeners(Listener... listeners) {
        for (SameDiff sd : List.of(criticGraph, generatorGraph, sampler)) {
            sd.addListeners(listeners);
        }
    }

    /** Generator steps completed. */
    public long completedSteps() {
        return step;
    }

    /** Continue as if {@code step} generator steps had been done (after restoring weights and optimizer state). */
    public void resumeAt(long step) {
        this.step = step;
    }

    public Dataset data() {
        return data;
    }

    public Architecture architecture() {
        return architecture;
    }

    /** The generator-only inference graph (z → samples), sharing this trainer's generator weights. */
    public SameDiff samplerGraph() {
        return sampler;
    }

    public Parameters generatorParameters() {
        return generator;
    }

    public Parameters criticParameters() {
        return critic;
    }

    public AdamOptimizer criticOptimizer() {
        return criticOptimizer;
    }

    public AdamOptimizer generatorOptimizer() {
        return generatorOptimizer;
    }

    public TrainingConfig config() {
        return config;
    }
}
