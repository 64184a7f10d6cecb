package dev.mmdgan.engine.features;

import java.nio.file.Path;

/**
 * How to train the standard feature network of a data set. {@link #defaults} is the recipe of version
 * {@link FeatureNetworks#VERSION}; the limits exist for tests and quick looks (an artifact trained on fewer images
 * records it in its accuracy, but is still named after the recipe, so keep them at 0 for artifacts you keep).
 *
 * @param dataset      {@code fashion-mnist} or {@code mnist}
 * @param dataDir      the IDX folder (null: Debian's Fashion-MNIST folder)
 * @param epochs       passes over the training split
 * @param batchSize    images per Adam step
 * @param learningRate Adam's step size
 * @param seed         seed of the initial weights and the batch order
 * @param trainLimit   use only the first N training images (0 = all)
 * @param testLimit    measure accuracy on the first N test images (0 = all 10,000)
 * @param minAccuracy  the training fails (and writes nothing) below this test accuracy
 */
public record FeatureNetTrainingOptions(String dataset, Path dataDir, int epochs, int batchSize, double learningRate, long seed,
                                        int trainLimit, int testLimit, double minAccuracy) {

    public static final int DEFAULT_EPOCHS = 3;
    public static final int DEFAULT_BATCH = 128;
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    public static final long DEFAULT_SEED = 1;
    /** The bar for the Fashion-MNIST test set. */
    public static final double DEFAULT_MIN_ACCURACY = 0.90;

    public FeatureNetTrainingOptions {
        FeatureNetworks.standardName(dataset); // refuses data sets without a standard network
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || trainLimit < 0 || testLimit < 0
                || !(minAccuracy >= 0 && minAccuracy <= 1)) {
            throw new IllegalArgumentException("epochs and batch size must be ≥ 1, the learning rate > 0, limits ≥ 0 and the"
                    + " minimum accuracy in [0, 1]; got epochs " + epochs + ", batch " + batchSize + ", rate " + learningRate
                    + ", limits " + trainLimit + "/" + testLimit + ", minimum accuracy " + minAccuracy);
        }
    }

    public static FeatureNetTrainingOptions defaults(String dataset, Path dataDir) {
        return new FeatureNetTrainingOptions(dataset, dataDir, DEFAULT_EPOCHS, DEFAULT_BATCH, DEFAULT_LEARNING_RATE, DEFAULT_SEED,
                0, 0, DEFAULT_MIN_ACCURACY);
    }

    public FeatureNetTrainingOptions withEpochs(int e) {
        return new FeatureNetTrainingOptions(dataset, dataDir, e, batchSize, learningRate, seed, trainLimit, testLimit, minAccuracy);
    }

    public FeatureNetTrainingOptions withLimits(int train, int test) {
        return new FeatureNetTrainingOptions(dataset, dataDir, epochs, batchSize, learningRate, seed, train, test, minAccuracy);
    }

    public FeatureNetTrainingOptions withMinAccuracy(double a) {
        return new FeatureNetTrainingOptions(dataset, dataDir, epochs, batchSize, learningRate, seed, trainLimit, testLimit, a);
    }

    public FeatureNetTrainingOptions withSeed(long s) {
        return new FeatureNetTrainingOptions(dataset, dataDir, epochs, batchSize, learningRate, s, trainLimit, testLimit, minAccuracy);
    }
}
