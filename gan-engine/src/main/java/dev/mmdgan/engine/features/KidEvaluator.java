package dev.mmdgan.engine.features;

import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.kid.KidReference;
import dev.mmdgan.core.kid.KidResult;
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
     * @param kid           the KID estimate (label it with {@link #label})
     * @param label         e.g. {@code kid@fashion-mnist-cnn-v1}
     * @param features      the samples' features [n, featureDim]
     * @param embedSeconds  time to embed the samples
     * @param kidSeconds    time to compute the KID
     */
    public record Evaluation(KidResult kid, String label, INDArray features, double embedSeconds, double kidSeconds) {
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
        long t1 = System.nanoTime();
        KidResult kid = reference.evaluate(features);
        long t2 = System.nanoTime();
        return new Evaluation(kid, network.kidLabel(), features, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
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
