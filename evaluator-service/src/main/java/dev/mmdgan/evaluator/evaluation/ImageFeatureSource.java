package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.engine.data.LabelledImages;
import dev.mmdgan.engine.features.FeatureNetwork;
import dev.mmdgan.engine.features.FeatureNetworks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * 28×28 image checkpoints (Fashion-MNIST, MNIST): KID on the penultimate layer of the data set's standard classifier
 * ({@code fashion-mnist-cnn-v1}, from {@link FeatureNetworkLibrary}), against the first {@code realSamples} images of
 * the data set's test split, which no generator trains on.
 */
public final class ImageFeatureSource implements FeatureSource {

    private static final long[] SHAPE = {1, 28, 28};

    private final Map<String, Path> dataDirs;
    private final FeatureNetworkLibrary networks;
    private final int realSamples;
    /** Each data set's held-out set, read once: the test split is decompressed and hashed, not re-read per checkpoint. */
    private final Map<String, HeldOut> heldOut = new HashMap<>();

    /**
     * @param dataDirs    data set name ({@code fashion-mnist}, {@code mnist}) → folder of its IDX files
     * @param networks    where the standard networks come from (and are built when absent)
     * @param realSamples test images in the real set (at most the split's 10,000)
     */
    public ImageFeatureSource(Map<String, Path> dataDirs, FeatureNetworkLibrary networks, int realSamples) {
        this.dataDirs = Map.copyOf(dataDirs);
        this.networks = networks;
        this.realSamples = realSamples;
    }

    @Override
    public boolean supports(String datasetIdentity, long[] sampleShape) {
        return dataset(datasetIdentity).isPresent() && Arrays.equals(sampleShape, SHAPE);
    }

    @Override
    public synchronized HeldOut heldOut(String datasetIdentity, long[] sampleShape) {
        String dataset = dataset(datasetIdentity).orElseThrow(() -> FeatureSource.unavailable(datasetIdentity, sampleShape));
        HeldOut known = heldOut.get(dataset);
        if (known != null) {
            return known;
        }
        Path dir = dataDirs.get(dataset);
        FeatureNetwork network = networks.standard(dataset, dir);
        LabelledImages test = LabelledImages.read(dataset, dir, LabelledImages.Split.TEST, realSamples);
        String key = dataset + "(test split, first " + test.size() + ", sha256=" + test.imagesSha256() + ")";
        HeldOut read = new HeldOut(key, network, test.images());
        heldOut.put(dataset, read);
        return read;
    }

    @Override
    public Optional<FeatureNetwork> forUploads(long[] sampleShape) {
        if (!Arrays.equals(sampleShape, SHAPE)) {
            return Optional.empty();
        }
        // Uploaded images are compared on the first data set's network, if it is built already (never trained on a call).
        return dataDirs.keySet().stream().sorted().map(networks::existing).flatMap(Optional::stream).findFirst();
    }

    /** The data set an identity names ({@code fashion-mnist(train-images… sha256=…)}), if this source has its files. */
    private Optional<String> dataset(String identity) {
        return dataDirs.keySet().stream()
                .filter(name -> identity.startsWith(name + "(") && FeatureNetworks.TRAINABLE.contains(name))
                .filter(name -> Files.isDirectory(dataDirs.get(name)))
                .findFirst();
    }
}
