package dev.mmdgan.engine.features;

import dev.mmdgan.core.io.Sha256;
import dev.mmdgan.engine.BuildInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Brings a user's own feature network into an artifact: a SameDiff graph file (what {@code SameDiff.save} writes) or an
 * ONNX model (a {@code .onnx} file, read by {@link OnnxGraphs}), with the names of its input placeholder and of the
 * variable that holds the features. The graph is checked by one call on the declared input shape, and the artifact
 * records where it came from (file name and SHA-256), so its KIDs are labelled {@code kid@NAME-VERSION}.
 */
public final class FeatureNetImporter {

    /** What the user says about the graph; {@code inputScale}/{@code inputOffset} map samples in [−1, 1] to its input. */
    public record Options(Path graphFile, String inputName, String outputName, long[] inputShape, String name, String version,
                          double inputScale, double inputOffset, String dataset) {

        public Options {
            inputShape = inputShape.clone();
        }
    }

    private FeatureNetImporter() {
    }

    /**
     * Writes the artifact to {@code dir} ({@code graph.sd} and its manifest) and returns the manifest. A file that is not
     * a SameDiff graph, a name the graph does not have, or an output that is not one feature vector per sample is an
     * {@link IllegalArgumentException} that says which.
     */
    public static FeatureNetManifest importGraph(Options o, Path dir) {
        if (!Files.isRegularFile(o.graphFile())) {
            throw new IllegalArgumentException(o.graphFile() + " is not a file");
        }
        if (o.inputShape().length == 0 || Arrays.stream(o.inputShape()).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(o.inputShape()) + " must be one sample's positive sizes, e.g. 1,28,28");
        }
        boolean onnx = o.graphFile().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
        SameDiff graph = onnx ? OnnxGraphs.read(o.graphFile()) : sameDiff(o.graphFile());
        for (String v : new String[] {o.inputName(), o.outputName()}) {
            if (!graph.hasVariable(v)) {
                throw new IllegalArgumentException(o.graphFile() + " has no variable '" + v + "'; its placeholders are "
                        + graph.inputs());
            }
        }
        int featureDim = featureDim(graph, o);
        FeatureNetManifest manifest = new FeatureNetManifest(o.name(), o.version(), FeatureNetManifest.FORMAT_SAMEDIFF,
                (onnx ? "onnx:" : "samediff:") + o.graphFile().getFileName() + "@sha256:" + Sha256.of(o.graphFile()), FeatureNetworks.GRAPH_FILE, "",
                o.inputName(), o.outputName(), o.inputShape(), featureDim, o.inputScale(), o.inputOffset(),
                o.dataset(), "unknown", Double.NaN, BuildInfo.codeVersion(), BuildInfo.gitCommit());
        return FeatureNetworks.save(graph, manifest, dir);
    }

    private static SameDiff sameDiff(Path file) {
        try {
            return SameDiff.load(file.toFile(), false);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a SameDiff graph (" + e.getMessage() + "); give an ONNX model a name ending"
                    + " in .onnx, and convert TensorFlow models with SameDiff's importer and save the result with SameDiff.save", e);
        }
    }

    /** Features per sample, from one call on two zero samples: the output must be [2, d]. */
    private static int featureDim(SameDiff graph, Options o) {
        long[] shape = new long[o.inputShape().length + 1];
        shape[0] = 2;
        System.arraycopy(o.inputShape(), 0, shape, 1, o.inputShape().length);
        INDArray out;
        try {
            out = graph.output(Map.of(o.inputName(), Nd4j.zeros(DataType.FLOAT, shape)), o.outputName()).get(o.outputName());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the graph does not run on input '" + o.inputName() + "' of shape " + Arrays.toString(shape)
                    + " (" + e.getMessage() + ")", e);
        }
        if (out.rank() != 2 || out.size(0) != 2) {
            throw new IllegalArgumentException("output '" + o.outputName() + "' must be one feature vector per sample, [n, d]; for "
                    + Arrays.toString(shape) + " it is " + Arrays.toString(out.shape()));
        }
        return Math.toIntExact(out.size(1));
    }
}
