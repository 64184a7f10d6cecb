package dev.mmdgan.engine.features;

/**
 * The standard classifier's feature network with its initial (untrained) weights: the same graph and cost as a
 * trained one, so benchmarks can time an evaluation before a network has been trained. Its features carry no
 * meaning; its name says so ({@code untrained-cnn-v1}).
 */
public final class UntrainedFeatureNetwork {

    private UntrainedFeatureNetwork() {
    }

    /** For one-channel images of shape [1, h, w] (h, w multiples of 4). */
    public static GraphFeatureNetwork of(long[] sampleShape) {
        if (sampleShape.length != 3 || sampleShape[0] != 1) {
            throw new IllegalArgumentException("the classifier takes one-channel images [1, h, w], not " + java.util.Arrays.toString(sampleShape));
        }
        ClassifierCnn cnn = ClassifierCnn.create((int) sampleShape[1], (int) sampleShape[2], 10, 1e-3, 0);
        FeatureNetManifest manifest = new FeatureNetManifest("untrained-cnn", FeatureNetworks.VERSION, FeatureNetManifest.FORMAT_SAMEDIFF,
                "untrained", FeatureNetworks.GRAPH_FILE, "none", ClassifierCnn.INPUT, ClassifierCnn.FEATURES, sampleShape,
                ClassifierCnn.FEATURE_DIM, 1, 0, "none", "none", Double.NaN, dev.mmdgan.engine.BuildInfo.codeVersion(),
                dev.mmdgan.engine.BuildInfo.gitCommit());
        return new GraphFeatureNetwork(cnn.graph(), manifest);
    }
}
