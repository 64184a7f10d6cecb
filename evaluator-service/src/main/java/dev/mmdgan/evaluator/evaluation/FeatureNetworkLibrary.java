package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.engine.features.FeatureNetManifest;
import dev.mmdgan.engine.features.FeatureNetTrainer;
import dev.mmdgan.engine.features.FeatureNetTrainingOptions;
import dev.mmdgan.engine.features.FeatureNetwork;
import dev.mmdgan.engine.features.FeatureNetworks;
import dev.mmdgan.service.storage.BlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The standard feature networks, one per image data set, shared by every evaluation: loaded from a local copy, else
 * downloaded from the bucket ({@code feature-nets/{name}/{version}/}), else trained once on the data set's training
 * split (a few minutes on 2 cores) and uploaded, so that every evaluator replica and later start uses the same weights.
 * The manifest is uploaded last and checked first: an artifact is in the bucket only once it is whole.
 */
public final class FeatureNetworkLibrary {

    private static final Logger LOG = Logger.getLogger(FeatureNetworkLibrary.class);

    private final BlobStore store;
    private final Path localRoot;
    private final Map<String, FeatureNetwork> loaded = new HashMap<>();

    /** @param localRoot folder of the local copies ({@code {name}/{version}/} below it) */
    public FeatureNetworkLibrary(BlobStore store, Path localRoot) {
        this.store = store;
        this.localRoot = localRoot;
    }

    /** The data set's standard network, built first if neither this machine nor the bucket has it. */
    public synchronized FeatureNetwork standard(String dataset, Path dataDir) {
        FeatureNetwork network = existing(dataset).orElse(null);
        if (network != null) {
            return network;
        }
        Path dir = localDir(dataset);
        LOG.infof("no %s feature network in the store: training it on %s (a few minutes)", FeatureNetworks.standardId(dataset), dataDir);
        FeatureNetTrainer.Result result = FeatureNetTrainer.train(FeatureNetTrainingOptions.defaults(dataset, dataDir), dir,
                (epoch, epochs, batch, batches, loss) -> {
                    if (batch == batches || batch % 100 == 0) {
                        LOG.infof("feature network %s: epoch %d/%d, batch %d/%d, loss %.3f", dataset, epoch, epochs, batch, batches, loss);
                    }
                });
        LOG.infof("feature network %s: test accuracy %.4f after %.0f s", FeatureNetworks.standardId(dataset), result.testAccuracy(),
                result.seconds());
        upload(dataset, dir);
        return load(dataset, dir);
    }

    /** The data set's standard network if this machine or the bucket has it; never trains. */
    public synchronized Optional<FeatureNetwork> existing(String dataset) {
        FeatureNetwork network = loaded.get(dataset);
        if (network != null) {
            return Optional.of(network);
        }
        Path dir = localDir(dataset);
        try {
            if (!Files.exists(dir.resolve(FeatureNetManifest.FILE))) {
                String prefix = storePrefix(dataset);
                if (store.list(prefix + FeatureNetManifest.FILE).isEmpty()) {
                    return Optional.empty();
                }
                Files.createDirectories(dir);
                for (String file : FeatureNetworks.files()) {
                    store.download(prefix + file, dir.resolve(file));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not fetch feature network " + FeatureNetworks.standardId(dataset) + " from the store: "
                    + e.getMessage(), e);
        }
        return Optional.of(load(dataset, dir));
    }

    private FeatureNetwork load(String dataset, Path dir) {
        FeatureNetwork network = FeatureNetworks.load(dir); // verifies the graph against the manifest's SHA-256
        loaded.put(dataset, network);
        return network;
    }

    private void upload(String dataset, Path dir) {
        String prefix = storePrefix(dataset);
        try {
            for (String file : FeatureNetworks.files()) { // the manifest last
                store.put(prefix + file, dir.resolve(file));
            }
        } catch (Exception e) {
            // The local copy still serves this evaluator; another replica would build its own.
            LOG.warnf("feature network %s built but not stored under %s: %s", FeatureNetworks.standardId(dataset), prefix, e.getMessage());
        }
    }

    private static String storePrefix(String dataset) {
        return FeatureNetworks.storePrefix(FeatureNetworks.standardName(dataset), FeatureNetworks.VERSION);
    }

    private Path localDir(String dataset) {
        return localRoot.resolve(FeatureNetworks.standardName(dataset)).resolve(FeatureNetworks.VERSION);
    }
}
