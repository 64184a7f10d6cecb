package dev.mmdgan.engine.features;

import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.kid.KidReference;
import dev.mmdgan.core.kid.KidResult;
import dev.mmdgan.engine.model.GeneratorModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * KID of generated samples against a fixed real set, on one feature network: the real set is embedded and prepared
 * once ({@link #prepare}), then each {@link #evaluate} embeds the samples and computes the KID. Thread-safe (the
 * network and the reference take turns).
 */
public final class KidEvaluator {

    /**
     * One evaluation.
     *
     * @param kid             the KID estimate (label it with {@link #label})
     * @param label           e.g. {@code kid@fashion-mnist-cnn-v1}
     * @param samples         the samples evaluated [n, sampleSize]
     * @param features        the samples' features [n, featureDim]
     * @param generateSeconds time the generator took to make the samples (0 when they were given)
     * @param embedSeconds    time the feature network took to embed them (overlapping the generation, when generated)
     * @param kidSeconds      time to compute the KID
     */
    public record Evaluation(KidResult kid, String label, INDArray samples, INDArray features, double generateSeconds,
                             double embedSeconds, double kidSeconds) {
    }

    private final FeatureNetwork network;
    private final INDArray realFeatures;
    private final KidReference reference;
    private final double prepareSeconds;

    private KidEvaluator(FeatureNetwork network, INDArray realFeatures, KidReference reference, double prepareSeconds) {
        this.network = network;
        this.realFeatures = realFeatures;
        this.reference = reference;
        this.prepareSeconds = prepareSeconds;
    }

    /** Embeds {@code realSamples} (rows, in the generator's scale) and prepares the KID reference. */
    public static KidEvaluator prepare(FeatureNetwork network, INDArray realSamples, KidConfig config) {
        long t0 = System.nanoTime();
        INDArray real = network.embed(realSamples);
        KidReference reference = KidReference.prepare(real, config);
        return new KidEvaluator(network, real, reference, (System.nanoTime() - t0) / 1e9);
    }

    /** Embeds {@code samples} and computes their KID against the real set. */
    public Evaluation evaluate(INDArray samples) {
        long t0 = System.nanoTime();
        INDArray features = network.embed(samples);
        double embedSeconds = (System.nanoTime() - t0) / 1e9;
        return scored(samples, features, 0, embedSeconds);
    }

    /**
     * Generates one sample per seed with {@code model}, embeds the samples (each chunk while the next is generated:
     * {@link GeneratedFeatures}) and computes their KID against the real set. The same figures as
     * {@code evaluate(model.generate(seeds))}, sooner.
     */
    public Evaluation evaluate(GeneratorModel model, long[] seeds) {
        GeneratedFeatures.Result generated = GeneratedFeatures.of(model, seeds, network);
        return scored(generated.samples(), generated.features(), generated.generateSeconds(), generated.embedSeconds());
    }

    private Evaluation scored(INDArray samples, INDArray features, double generateSeconds, double embedSeconds) {
        long t0 = System.nanoTime();
        KidResult kid = reference.evaluate(features);
        return new Evaluation(kid, network.kidLabel(), samples, features, generateSeconds, embedSeconds,
                (System.nanoTime() - t0) / 1e9);
    }

    public FeatureNetwork network() {
        return network;
    }

    /** The real set's features [nReal, featureDim] (do not modify). */
    public INDArray realFeatures() {
        return realFeatures;
    }

    public KidConfig config() {
        return reference.config();
    }

    /** Time {@link #prepare} took (embedding the real set and preparing the reference). */
    public double prepareSeconds() {
        return prepareSeconds;
    }
}
