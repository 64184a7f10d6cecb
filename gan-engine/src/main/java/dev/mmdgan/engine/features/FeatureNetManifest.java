package dev.mmdgan.engine.features;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What {@code feature-net.properties} says about a feature-network artifact: identity, the graph and its SHA-256,
 * the input it expects and the provenance of its weights. Immutable; read and written by {@link FeatureNetworks}.
 *
 * @param name          family name, e.g. {@code fashion-mnist-cnn}
 * @param version       version of the recipe, e.g. {@code v1}; {@link #id()} joins the two
 * @param format        how the weights are stored: {@link #FORMAT_SAMEDIFF} (the only one this build reads)
 * @param source        how the network was made: {@code trained} here, or {@code onnx:FILE} / {@code tensorflow:FILE}
 * @param graphFile     file name of the graph inside the artifact folder
 * @param graphSha256   SHA-256 of that file, verified on load
 * @param inputName     the graph's input placeholder
 * @param outputName    the graph variable that holds the features
 * @param inputShape    shape of one sample, e.g. [1, 28, 28]
 * @param featureDim    columns of the features
 * @param inputScale    samples in [−1, 1] are fed to the graph as {@code x·scale + offset}
 * @param inputOffset   see {@code inputScale}
 * @param dataset       data set the weights were fitted on (or {@code none})
 * @param datasetSha256 its SHA-256 as training runs record it ({@code unknown} for imported networks)
 * @param testAccuracy  classification accuracy on the held-out test split (NaN when not measured)
 * @param codeVersion   the version of the code that wrote the artifact
 * @param gitCommit     its commit
 */
public record FeatureNetManifest(String name, String version, String format, String source, String graphFile,
                                 String graphSha256, String inputName, String outputName, long[] inputShape, int featureDim,
                                 double inputScale, double inputOffset, String dataset, String datasetSha256,
                                 double testAccuracy, String codeVersion, String gitCommit) {

    /** File name of the manifest in an artifact folder. */
    public static final String FILE = "feature-net.properties";

    /** A SameDiff graph saved with {@code SameDiff.save}: the format every artifact of this build uses. */
    public static final String FORMAT_SAMEDIFF = "samediff";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern VERSION = Pattern.compile("v[0-9]+");

    public FeatureNetManifest {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("feature network name '" + name + "' must be lower-case letters, digits, '.', '_' or '-'");
        }
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("feature network version '" + version + "' must be v followed by digits, e.g. v1");
        }
        if (featureDim < 1 || inputShape.length == 0 || Arrays.stream(inputShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("feature network " + name + ": feature dimension " + featureDim
                    + " and input shape " + Arrays.toString(inputShape) + " must be positive");
        }
        inputShape = inputShape.clone();
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    /** {@code name-version}, e.g. {@code fashion-mnist-cnn-v1}: what a KID is labelled with. */
    public String id() {
        return name + "-" + version;
    }

    /** Values in one input sample. */
    public long inputSize() {
        return Arrays.stream(inputShape).reduce(1, Math::multiplyExact);
    }

    /** A copy with the graph's file name and SHA-256 set. */
    public FeatureNetManifest withGraph(String file, String sha256) {
        return new FeatureNetManifest(name, version, format, source, file, sha256, inputName, outputName, inputShape, featureDim,
                inputScale, inputOffset, dataset, datasetSha256, testAccuracy, codeVersion, gitCommit);
    }

    /** A copy with the measured test accuracy. */
    public FeatureNetManifest withTestAccuracy(double accuracy) {
        return new FeatureNetManifest(name, version, format, source, graphFile, graphSha256, inputName, outputName, inputShape,
                featureDim, inputScale, inputOffset, dataset, datasetSha256, accuracy, codeVersion, gitCommit);
    }

    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("version", version);
        p.setProperty("id", id());
        p.setProperty("format", format);
        p.setProperty("source", source);
        p.setProperty("graph.file", graphFile);
        p.setProperty("graph.sha256", graphSha256);
        p.setProperty("input.name", inputName);
        p.setProperty("output.name", outputName);
        p.setProperty("input.shape", join(inputShape));
        p.setProperty("feature.dim", Integer.toString(featureDim));
        p.setProperty("input.scale", Double.toString(inputScale));
        p.setProperty("input.offset", Double.toString(inputOffset));
        p.setProperty("input.range", "samples in [-1, 1] enter the graph as x*input.scale + input.offset");
        p.setProperty("dataset", dataset);
        p.setProperty("dataset.sha256", datasetSha256);
        p.setProperty("test.accuracy", Double.toString(testAccuracy));
        p.setProperty("code.version", codeVersion);
        p.setProperty("git.commit", gitCommit);
        return p;
    }

    static FeatureNetManifest fromProperties(Path dir, Properties p) {
        try {
            return new FeatureNetManifest(get(dir, p, "name"), get(dir, p, "version"), get(dir, p, "format"), get(dir, p, "source"),
                    get(dir, p, "graph.file"), get(dir, p, "graph.sha256"), get(dir, p, "input.name"), get(dir, p, "output.name"),
                    Arrays.stream(get(dir, p, "input.shape").split(",")).map(String::strip).mapToLong(Long::parseLong).toArray(),
                    Integer.parseInt(get(dir, p, "feature.dim")), Double.parseDouble(get(dir, p, "input.scale")),
                    Double.parseDouble(get(dir, p, "input.offset")), get(dir, p, "dataset"), get(dir, p, "dataset.sha256"),
                    Double.parseDouble(get(dir, p, "test.accuracy")), get(dir, p, "code.version"), get(dir, p, "git.commit"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(dir.resolve(FILE) + ": malformed number (" + e.getMessage() + ")");
        }
    }

    void write(Path dir) {
        try (Writer w = Files.newBufferedWriter(dir.resolve(FILE))) {
            toProperties().store(w, "mmdgan feature network");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code dir/feature-net.properties}. */
    public static FeatureNetManifest read(Path dir) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(FILE))) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(dir + " is not a feature network: " + FILE + " is missing");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fromProperties(dir, p);
    }

    private static String get(Path dir, Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(dir.resolve(FILE) + " has no '" + key + "'");
        }
        return v.strip();
    }

    private static String join(long[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ",").append(shape[i]);
        }
        return sb.toString();
    }
}
