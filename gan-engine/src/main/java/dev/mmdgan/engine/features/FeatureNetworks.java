package dev.mmdgan.engine.features;

import dev.mmdgan.core.io.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Feature-network artifacts: a folder with the graph ({@link #GRAPH_FILE}) and {@link FeatureNetManifest#FILE},
 * which names the network, its input and output, and records the graph's SHA-256, the data set it was fitted on and
 * the code that made it. The evaluator keeps each under {@link #storePrefix} in its bucket.
 */
public final class FeatureNetworks {

    /** Version of the classifier recipe ({@link ClassifierCnn}, {@link FeatureNetTrainer}); bump it when either changes. */
    public static final String VERSION = "v1";

    /** The graph's file inside an artifact folder. */
    public static final String GRAPH_FILE = "graph.sd";

    /** Data sets with a standard feature network this build can train. */
    public static final List<String> TRAINABLE = List.of("fashion-mnist", "mnist");

    private FeatureNetworks() {
    }

    /** The standard network's family name for a data set, e.g. {@code fashion-mnist-cnn}. */
    public static String standardName(String dataset) {
        if (!TRAINABLE.contains(dataset)) {
            throw new IllegalArgumentException("no standard feature network for data set '" + dataset + "'; allowed: "
                    + String.join(", ", TRAINABLE) + " (2-D data uses the raw samples; bring others with an imported network)");
        }
        return dataset + "-cnn";
    }

    /** The standard network's id, e.g. {@code fashion-mnist-cnn-v1}, which labels its KIDs ({@code kid@fashion-mnist-cnn-v1}). */
    public static String standardId(String dataset) {
        return standardName(dataset) + "-" + VERSION;
    }

    /** Where an artifact lives in a bucket: {@code feature-nets/NAME/VERSION/}. */
    public static String storePrefix(String name, String version) {
        return "feature-nets/" + name + "/" + version + "/";
    }

    /** The files of an artifact, relative to its folder; the manifest comes last (upload it last: it marks completeness). */
    public static List<String> files() {
        return List.of(GRAPH_FILE, FeatureNetManifest.FILE);
    }

    /**
     * Writes an artifact: the graph, then the manifest with the graph's SHA-256. Returns the manifest as written.
     */
    public static FeatureNetManifest save(SameDiff graph, FeatureNetManifest manifest, Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(GRAPH_FILE);
            graph.save(file.toFile(), false);
            FeatureNetManifest written = manifest.withGraph(GRAPH_FILE, Sha256.of(file));
            written.write(dir);
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads an artifact folder. A missing manifest, a graph that does not match its SHA-256, a format this build does
     * not read, or a graph without the named input or output is an {@link IllegalArgumentException} naming it.
     */
    public static GraphFeatureNetwork load(Path dir) {
        FeatureNetManifest manifest = FeatureNetManifest.read(dir);
        if (!FeatureNetManifest.FORMAT_SAMEDIFF.equals(manifest.format())) {
            throw new IllegalArgumentException(dir + ": feature network format '" + manifest.format() + "' is not readable by this build;"
                    + " allowed: " + FeatureNetManifest.FORMAT_SAMEDIFF);
        }
        Path graphFile = dir.resolve(manifest.graphFile());
        if (!Files.isRegularFile(graphFile)) {
            throw new IllegalArgumentException(dir + ": " + manifest.graphFile() + " is missing");
        }
        if (!Sha256.of(graphFile).equals(manifest.graphSha256())) {
            throw new IllegalArgumentException(dir + ": " + manifest.graphFile() + " does not match its SHA-256 in "
                    + FeatureNetManifest.FILE + " (truncated or altered)");
        }
        SameDiff graph;
        try {
            graph = SameDiff.load(graphFile.toFile(), false);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(dir + ": cannot load " + manifest.graphFile() + " (" + e.getMessage() + ")", e);
        }
        for (String v : List.of(manifest.inputName(), manifest.outputName())) {
            if (!graph.hasVariable(v)) {
                throw new IllegalArgumentException(dir + ": the graph has no variable '" + v + "' named in " + FeatureNetManifest.FILE);
            }
        }
        return new GraphFeatureNetwork(graph, manifest);
    }

    /**
     * The feature network for samples of {@code sampleShape}: the raw samples for vectors ([d]), else the artifact
     * in {@code artifactDir}, whose input shape must match.
     */
    public static FeatureNetwork forSamples(long[] sampleShape, Path artifactDir) {
        if (sampleShape.length == 1) {
            return new RawFeatures(Math.toIntExact(sampleShape[0]));
        }
        if (artifactDir == null) {
            throw new IllegalArgumentException("samples of shape " + java.util.Arrays.toString(sampleShape)
                    + " need a feature network: train one with `mmdgan features train` and give its folder");
        }
        GraphFeatureNetwork net = load(artifactDir);
        if (!java.util.Arrays.equals(net.inputShape(), sampleShape)) {
            net.close();
            throw new IllegalArgumentException("feature network " + net.name() + " takes samples of shape "
                    + java.util.Arrays.toString(net.inputShape()) + ", not " + java.util.Arrays.toString(sampleShape));
        }
        return net;
    }
}
