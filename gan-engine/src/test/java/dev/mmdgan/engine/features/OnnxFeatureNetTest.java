package dev.mmdgan.engine.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ONNX model as a feature network: a small CNN written here as an ONNX graph (the ops a PyTorch export of such a
 * network has: Conv with bias, Relu, MaxPool, Flatten, Gemm with transB and C, MatMul and Add), imported through
 * {@link FeatureNetImporter}, and its features checked against the same network computed with plain loops.
 */
@Timeout(300)
class OnnxFeatureNetTest {

    private static final int CHANNELS = 4;
    private static final int HIDDEN = 5;
    private static final int OUT = 3;
    private static final float BETA = 0.5f;

    @TempDir
    Path dir;

    private final Random random = new Random(11);
    private final float[] convW = gaussian(CHANNELS * 9);
    private final float[] convB = gaussian(CHANNELS);
    private final float[] w1 = gaussian(HIDDEN * 16); // [HIDDEN, 16], used transposed (transB = 1), as torch.nn.Linear exports
    private final float[] b1 = gaussian(HIDDEN);
    private final float[] w2 = gaussian(HIDDEN * OUT); // [HIDDEN, OUT]
    private final float[] b2 = gaussian(OUT);

    private float[] gaussian(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * 0.5);
        }
        return a;
    }

    @Test
    void importedFeaturesEqualADirectComputation() throws IOException {
        Path model = dir.resolve("cnn.onnx");
        Files.write(model, model().toByteArray());
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        FeatureNetManifest written;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            written = FeatureNetImporter.importGraph(new FeatureNetImporter.Options(model, "image", "features",
                    new long[] {1, 6, 6}, "onnx-cnn", "v1", 1, 0, "toy"), dir.resolve("artifact"));
        } finally {
            System.setOut(stdout);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).as("standard output is the command's JSON").isEmpty();
        assertThat(written.source()).startsWith("onnx:cnn.onnx@sha256:");
        assertThat(written.featureDim()).isEqualTo(OUT);

        Nd4j.getRandom().setSeed(5);
        try (GraphFeatureNetwork net = FeatureNetworks.load(dir.resolve("artifact"))) {
            // More rows than one graph call, then a second batch: the graph's buffers are reused from call to call.
            for (int n : new int[] {GraphFeatureNetwork.ROWS_PER_CALL * 2 + 1, 7}) {
                INDArray samples = Nd4j.rand(DataType.FLOAT, n, 36).muli(2).subi(1);
                INDArray features = net.embed(samples);
                float[] x = samples.data().asFloat();
                for (int i = 0; i < n; i++) {
                    double[] expected = direct(x, i * 36);
                    for (int j = 0; j < OUT; j++) {
                        assertThat(features.getDouble(i, j)).as("%d samples: sample %d, feature %d", n, i, j)
                                .isCloseTo(expected[j], Offset.offset(1e-4));
                    }
                }
            }
        }
    }

    @Test
    void aMatMulThatCannotBeRewrittenIsRefusedWithItsNode() {
        GraphProto computed = GraphProto.newBuilder().addNode(node("MatMul", "outer", List.of("a", "b"), "c")).build();
        assertThatThrownBy(() -> OnnxGraphs.rewrite(ModelProto.newBuilder().setGraph(computed).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MatMul node 'outer'")
                .hasMessageContaining("not a constant matrix");
        GraphProto batched = GraphProto.newBuilder().addInput(info("a", 4, 5)).addInitializer(tensor("w", new float[15], 5, 3))
                .addNode(node("MatMul", "", List.of("a", "w"), "c")).build();
        assertThatThrownBy(() -> OnnxGraphs.rewrite(ModelProto.newBuilder().setGraph(batched).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MatMul node '#0' multiplies a rank-3 tensor 'a'");
    }

    @Test
    void aGemmKeepsItsAttributesLosesItsOwnBetaAndGetsItsBiasAsAnAdd() {
        AttributeProto alpha = AttributeProto.newBuilder().setName("alpha").setType(AttributeProto.AttributeType.FLOAT).setF(2).build();
        GraphProto graph = GraphProto.newBuilder()
                .addNode(node("Gemm", "no_bias", List.of("a", "w"), "y", alpha, integer("transA", 1)))
                .addNode(node("Gemm", "with_bias", List.of("y", "w", "b"), "z")).build();
        List<NodeProto> nodes = OnnxGraphs.rewrite(ModelProto.newBuilder().setGraph(graph).build()).getGraph().getNodeList();
        assertThat(nodes).extracting(NodeProto::getOpType).containsExactly("Gemm", "Gemm", "Add");
        assertThat(nodes).extracting(NodeProto::getName).doesNotContain("no_bias", "with_bias");
        assertThat(nodes.get(0).getOutput(0)).isEqualTo("y");
        assertThat(nodes.get(0).getAttributeList()).extracting(AttributeProto::getName, AttributeProto::getF, AttributeProto::getI)
                .containsExactlyInAnyOrder(tuple("alpha", 2f, 0L), tuple("beta", 0f, 0L),
                        tuple("transA", 0f, 1L), tuple("transB", 0f, 0L));
        assertThat(nodes.get(1).getInputList()).containsExactly("y", "w");
        assertThat(nodes.get(2).getInputList()).containsExactly(nodes.get(1).getOutput(0), "b");
        assertThat(nodes.get(2).getOutput(0)).isEqualTo("z");
    }

    /** relu(relu(flatten(maxpool(relu(conv(x) + convB))) · w1ᵀ + β·b1) · w2 + b2), the plain way. */
    private double[] direct(float[] x, int offset) {
        double[] flat = new double[16];
        for (int o = 0; o < CHANNELS; o++) {
            for (int pi = 0; pi < 2; pi++) {
                for (int pj = 0; pj < 2; pj++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int di = 0; di < 2; di++) {
                        for (int dj = 0; dj < 2; dj++) {
                            double conv = convB[o];
                            for (int u = 0; u < 3; u++) {
                                for (int v = 0; v < 3; v++) {
                                    conv += convW[o * 9 + u * 3 + v] * x[offset + (pi * 2 + di + u) * 6 + pj * 2 + dj + v];
                                }
                            }
                            max = Math.max(max, Math.max(conv, 0));
                        }
                    }
                    flat[o * 4 + pi * 2 + pj] = max;
                }
            }
        }
        double[] hidden = new double[HIDDEN];
        for (int h = 0; h < HIDDEN; h++) {
            double sum = BETA * b1[h];
            for (int k = 0; k < 16; k++) {
                sum += flat[k] * w1[h * 16 + k];
            }
            hidden[h] = Math.max(sum, 0);
        }
        double[] out = new double[OUT];
        for (int j = 0; j < OUT; j++) {
            double sum = b2[j];
            for (int h = 0; h < HIDDEN; h++) {
                sum += hidden[h] * w2[h * OUT + j];
            }
            out[j] = sum;
        }
        return out;
    }

    /**
     * The network as ONNX (opset 13). Two nodes carry the names the importer gives its own helper ops ("add",
     * "permute"), and the Gemm leaves α out, as models may.
     */
    private ModelProto model() {
        GraphProto graph = GraphProto.newBuilder().setName("cnn")
                .addInitializer(tensor("conv.weight", convW, CHANNELS, 1, 3, 3)).addInitializer(tensor("conv.bias", convB, CHANNELS))
                .addInitializer(tensor("fc1.weight", w1, HIDDEN, 16)).addInitializer(tensor("fc1.bias", b1, HIDDEN))
                .addInitializer(tensor("fc2.weight", w2, HIDDEN, OUT)).addInitializer(tensor("fc2.bias", b2, OUT))
                .addInput(info("image", 1, 6, 6))
                .addNode(node("Conv", "conv", List.of("image", "conv.weight", "conv.bias"), "c", ints("kernel_shape", 3, 3),
                        ints("strides", 1, 1), ints("pads", 0, 0, 0, 0)))
                .addNode(node("Relu", "add", List.of("c"), "c_relu"))
                .addNode(node("MaxPool", "pool", List.of("c_relu"), "pooled", ints("kernel_shape", 2, 2), ints("strides", 2, 2)))
                .addNode(node("Flatten", "flatten", List.of("pooled"), "flat", integer("axis", 1)))
                .addNode(node("Gemm", "fc1", List.of("flat", "fc1.weight", "fc1.bias"), "h", integer("transB", 1),
                        AttributeProto.newBuilder().setName("beta").setType(AttributeProto.AttributeType.FLOAT).setF(BETA).build()))
                .addNode(node("Relu", "relu", List.of("h"), "h_relu"))
                .addNode(node("MatMul", "fc2", List.of("h_relu", "fc2.weight"), "product"))
                .addNode(node("Add", "permute", List.of("product", "fc2.bias"), "features"))
                .addOutput(info("features", OUT)).build();
        return ModelProto.newBuilder().setIrVersion(7).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph)
                .build();
    }

    private static TensorProto tensor(String name, float[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        for (float v : values) {
            t.addFloatData(v);
        }
        return t.build();
    }

    /** A float tensor of shape [n, dims...] with n left free. */
    private static ValueInfoProto info(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("n"));
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    private static NodeProto node(String op, String name, List<String> inputs, String output, AttributeProto... attributes) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output)
                .addAllAttribute(List.of(attributes)).build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }
}
