package dev.mmdgan.engine.features;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.samediff.frameworkimport.onnx.importer.OnnxFrameworkImporter;

/**
 * Reads an ONNX model into a SameDiff graph with SameDiff's ONNX importer ({@code samediff-import-onnx}), after
 * rewriting what its 1.0.0-M2.1 rules get wrong, so that the imported graph computes what the model does:
 * <ul>
 *   <li>{@code MatMul} is imported with a scale α of 0 (its rule gives α no value), so every product is zero: a
 *       MatMul of a 2-D input by a constant matrix becomes a {@code Gemm} with α = 1;</li>
 *   <li>{@code Gemm} drops its third input C, and reads the attributes that ONNX lets a model leave out (α, β,
 *       transA, transB) as 0: every Gemm gets α, transA and transB written out, and β·C becomes an {@code Add}
 *       after it. The Gemm itself gets β = 0, because the op it becomes adds β times its own output buffer, which
 *       holds the previous call's result when buffers are reused;</li>
 *   <li>nodes whose names equal the names the importer gives its own helper ops ({@code add}, {@code permute}, …)
 *       overwrite them: every node is renamed ({@code onnx_node_N}); tensors keep their names.</li>
 * </ul>
 * A MatMul by a computed tensor, or of an input known not to be 2-D, cannot be rewritten that way and is refused with
 * its node named. Float models only (the feature networks run in float). Subgraphs of If and Loop nodes are not
 * rewritten. The importer scans its rule tables first: a read takes 10 to 30 s however small the model.
 */
public final class OnnxGraphs {

    private OnnxGraphs() {
    }

    /** The model in {@code file} as a SameDiff graph; a file that is not a model it can import is an IllegalArgumentException. */
    public static SameDiff read(Path file) {
        ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not an ONNX model (" + e.getMessage() + ")", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new IllegalArgumentException(file + " is not an ONNX model: it has no graph");
        }
        byte[] rewritten = rewrite(model).toByteArray();
        try {
            Path copy = Files.createTempFile("mmdgan-onnx-", ".onnx"); // the importer reads files only
            try {
                Files.write(copy, rewritten);
                return importQuietly(copy);
            } finally {
                Files.deleteIfExists(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("SameDiff's ONNX importer cannot import " + file + " (" + e + ")", e);
        }
    }

    /**
     * The importer prints the whole imported graph to standard output, where a command's JSON goes: it is dropped.
     * Standard output is the process's, so whatever else prints during the import is dropped too: meant for the
     * command line, which does one thing at a time.
     */
    private static synchronized SameDiff importQuietly(Path file) {
        PrintStream stdout = System.out;
        PrintStream muted = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(muted);
        try {
            return new OnnxFrameworkImporter().runImport(file.toString(), Map.of(), false);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("reading ONNX models needs org.nd4j:samediff-import-onnx on the class path (the"
                    + " command line has it; gan-engine declares it optional)", e);
        } finally {
            if (System.out == muted) {
                System.setOut(stdout);
            }
        }
    }

    /** {@code model} with the rewrites of the class comment; the rest of it as it was. */
    static ModelProto rewrite(ModelProto model) {
        GraphProto graph = model.getGraph();
        Map<String, TensorProto> constants = new HashMap<>();
        graph.getInitializerList().forEach(t -> constants.put(t.getName(), t));
        Map<String, Integer> ranks = new HashMap<>(); // of the tensors whose shape the model declares
        for (List<ValueInfoProto> infos : List.of(graph.getInputList(), graph.getValueInfoList(), graph.getOutputList())) {
            infos.stream().filter(v -> v.getType().getTensorType().hasShape())
                    .forEach(v -> ranks.put(v.getName(), v.getType().getTensorType().getShape().getDimCount()));
        }
        GraphProto.Builder out = graph.toBuilder().clearNode();
        int n = 0;
        for (NodeProto node : graph.getNodeList()) {
            String name = "onnx_node_" + n++;
            switch (node.getOpType()) {
                case "MatMul" -> out.addNode(matMulAsGemm(node, name, constants, ranks));
                case "Gemm" -> gemm(node, name, out);
                default -> out.addNode(node.toBuilder().setName(name));
            }
        }
        return model.toBuilder().setGraph(out).build();
    }

    private static NodeProto matMulAsGemm(NodeProto node, String name, Map<String, TensorProto> constants, Map<String, Integer> ranks) {
        String label = node.getName().isEmpty() ? name.replace("onnx_node_", "#") : node.getName();
        TensorProto right = constants.get(node.getInput(1));
        if (right == null || right.getDimsCount() != 2) {
            throw new IllegalArgumentException("MatMul node '" + label + "' multiplies by '" + node.getInput(1) + "', which is not a"
                    + " constant matrix (an initializer); SameDiff 1.0.0-M2.1 imports such a MatMul as zero, so the model cannot be imported");
        }
        Integer leftRank = ranks.get(node.getInput(0));
        if (leftRank != null && leftRank != 2) {
            throw new IllegalArgumentException("MatMul node '" + label + "' multiplies a rank-" + leftRank + " tensor '" + node.getInput(0)
                    + "'; SameDiff 1.0.0-M2.1 imports MatMul as zero and only a 2-D one can be rewritten, so the model cannot be imported");
        }
        return NodeProto.newBuilder().setName(name).setOpType("Gemm").addInput(node.getInput(0)).addInput(node.getInput(1))
                .addOutput(node.getOutput(0)).addAttribute(real("alpha", 1)).addAttribute(real("beta", 0))
                .addAttribute(integer("transA", 0)).addAttribute(integer("transB", 0)).build();
    }

    /** Gemm(A, B, C) = α·op(A)·op(B) + β·C as a Gemm without C (β = 0), its other attributes written out, then an Add of β·C. */
    private static void gemm(NodeProto node, String name, GraphProto.Builder out) {
        Map<String, AttributeProto> given = new HashMap<>();
        node.getAttributeList().forEach(a -> given.put(a.getName(), a));
        float beta = given.containsKey("beta") ? given.get("beta").getF() : 1f;
        boolean withC = node.getInputCount() > 2 && !node.getInput(2).isEmpty() && beta != 0;
        String product = withC ? node.getOutput(0) + "__onnx_gemm_product" : node.getOutput(0);
        out.addNode(NodeProto.newBuilder().setName(name).setOpType("Gemm").addInput(node.getInput(0)).addInput(node.getInput(1))
                .addOutput(product)
                .addAttribute(given.getOrDefault("alpha", real("alpha", 1))).addAttribute(real("beta", 0))
                .addAttribute(given.getOrDefault("transA", integer("transA", 0)))
                .addAttribute(given.getOrDefault("transB", integer("transB", 0))));
        if (!withC) {
            return;
        }
        String c = node.getInput(2);
        if (beta != 1) {
            String betaName = name + "__beta";
            out.addInitializer(TensorProto.newBuilder().setName(betaName).setDataType(TensorProto.DataType.FLOAT.getNumber())
                    .addFloatData(beta));
            String scaled = name + "__beta_c";
            out.addNode(NodeProto.newBuilder().setName(name + "_scale_c").setOpType("Mul").addAllInput(List.of(c, betaName))
                    .addOutput(scaled));
            c = scaled;
        }
        out.addNode(NodeProto.newBuilder().setName(name + "_add_c").setOpType("Add").addAllInput(List.of(product, c))
                .addOutput(node.getOutput(0)));
    }

    private static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }
}
