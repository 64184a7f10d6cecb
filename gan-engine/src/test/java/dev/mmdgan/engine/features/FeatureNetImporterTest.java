package dev.mmdgan.engine.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A user's own SameDiff graph as a feature network: its features against the same network computed with plain loops. */
class FeatureNetImporterTest {

    private static final int IN = 16;
    private static final int OUT = 3;

    @TempDir
    Path dir;

    private final float[] w = new float[IN * OUT];
    private final float[] b = new float[OUT];

    /** features = relu(flatten(x) · W + b) on [n, 1, 4, 4] images. */
    private Path userGraph() throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        for (int j = 0; j < OUT; j++) {
            b[j] = (float) (random.nextGaussian() * 0.1);
        }
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("pixels", DataType.FLOAT, -1, 1, 4, 4);
        SDVariable flat = x.reshape(-1, IN);
        SDVariable weights = sd.var("w", Nd4j.create(w, new long[] {IN, OUT}, 'c'));
        SDVariable bias = sd.var("b", Nd4j.create(b, new long[] {1, OUT}, 'c'));
        sd.nn.relu("embedding", flat.mmul(weights).add(bias), 0);
        Path file = dir.resolve("mine.sd");
        sd.save(file.toFile(), false);
        return file;
    }

    private static FeatureNetImporter.Options options(Path graph, String input, String output) {
        // Samples in [-1, 1] enter the user's graph as [0, 1] pixels.
        return new FeatureNetImporter.Options(graph, input, output, new long[] {1, 4, 4}, "my-net", "v2", 0.5, 0.5, "my-images");
    }

    @Test
    void importedFeaturesEqualADirectComputation() throws IOException {
        FeatureNetManifest written = FeatureNetImporter.importGraph(options(userGraph(), "pixels", "embedding"), dir.resolve("artifact"));
        assertThat(written.featureDim()).isEqualTo(OUT);
        assertThat(written.source()).startsWith("samediff:mine.sd@sha256:");
        assertThat(written.dataset()).isEqualTo("my-images");

        Nd4j.getRandom().setSeed(3);
        INDArray samples = Nd4j.rand(DataType.FLOAT, 1001, IN).muli(2).subi(1); // more rows than one graph call
        try (GraphFeatureNetwork net = FeatureNetworks.load(dir.resolve("artifact"))) {
            assertThat(net.name()).isEqualTo("my-net-v2");
            INDArray features = net.embed(samples);
            assertThat(features.shape()).containsExactly(1001, OUT);
            float[] x = samples.data().asFloat();
            for (int i = 0; i < 1001; i++) {
                for (int j = 0; j < OUT; j++) {
                    double sum = b[j];
                    for (int k = 0; k < IN; k++) {
                        sum += (x[i * IN + k] * 0.5 + 0.5) * w[k * OUT + j];
                    }
                    assertThat(features.getDouble(i, j)).as("sample %d, feature %d", i, j).isCloseTo(Math.max(0, sum),
                            org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
    }

    @Test
    void aGraphThatDoesNotFitIsRefusedWithWhatIsWrong() throws IOException {
        Path graph = userGraph();
        assertThatThrownBy(() -> FeatureNetImporter.importGraph(options(graph, "image", "embedding"), dir.resolve("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no variable 'image'").hasMessageContaining("pixels");
        assertThatThrownBy(() -> FeatureNetImporter.importGraph(options(graph, "pixels", "pixels"), dir.resolve("b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one feature vector per sample");
        Path notAGraph = Files.writeString(dir.resolve("model.sd"), "not a graph");
        assertThatThrownBy(() -> FeatureNetImporter.importGraph(options(notAGraph, "pixels", "embedding"), dir.resolve("c")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a SameDiff graph");
        Path notAModel = Files.writeString(dir.resolve("model.onnx"), "not a model");
        assertThatThrownBy(() -> FeatureNetImporter.importGraph(options(notAModel, "pixels", "embedding"), dir.resolve("c")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not an ONNX model");
        FeatureNetImporter.Options wrongShape = new FeatureNetImporter.Options(graph, "pixels", "embedding", new long[] {1, 5, 5},
                "my-net", "v1", 1, 0, "none");
        assertThatThrownBy(() -> FeatureNetImporter.importGraph(wrongShape, dir.resolve("d")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not run on input 'pixels'");
        assertThat(dir.resolve("a")).doesNotExist();
    }
}
