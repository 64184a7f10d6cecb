package dev.mmdgan.engine.graph;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Spectral normalization of the critic's weights (docs/methods.md §4):
 * <ul>
 *   <li>{@code pim} (Miyato et al.): W̄ = W/σ, σ of the weight seen as a matrix [k·k·in, out];</li>
 *   <li>{@code pico} (Wang et al.): W̄ = C·W/σ, σ of the convolution itself (a linear map on the layer's input
 *       shape), estimated with the real convolution and its transpose; dense layers as PIM, times C too;</li>
 *   <li>{@code learned-scale} (SN-SMMD, Arbel et al.): W̄ = γ·W/σ (σ as PIM) with a learned per-layer γ,
 *       initialized at 1.</li>
 * </ul>
 *
 * <p>σ comes from one power iteration per critic update with persistent vectors u (output side) and v (input
 * side). The iteration runs outside the loss graph ({@link #iterate}); the loss graph gets u and v as placeholders
 * and computes σ = ⟨u, A_W v⟩ from the live W, so gradients flow through σ while u and v act as constants — the
 * semantics of a stop-gradient on u and v.
 */
public final class SpectralNorm {

    /** Which normalization, by the names the CLI and RunConfig use. */
    public enum Mode {
        NONE("none"), PIM("pim"), PICO("pico"), LEARNED_SCALE("learned-scale");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Mode byName(String name) {
            for (Mode m : values()) {
                if (m.label.equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown spectral norm '" + name + "'; allowed: none, pim, pico, learned-scale");
        }
    }

    /** PICO's C of the paper's main text, 1/0.55; the authors' scripts use C = 64^(1/K) for K layers. */
    public static final double PICO_CONSTANT = 1 / 0.55;

    /** A convolution kernel tracked by PICO: its stride, with v of the input's shape [1, in, h, w]. */
    private record ConvOperator(int kernel, int stride) {
    }

    private final Mode mode;
    private final double constant;
    private final Map<String, INDArray> us = new LinkedHashMap<>();
    private final Map<String, INDArray> vs = new LinkedHashMap<>();
    private final Map<String, ConvOperator> convolutions = new HashMap<>();
    /** W̄ already built in each graph (renaming intermediate variables confuses SameDiff's gradients). */
    private final Map<SameDiff, Map<String, SDVariable>> normalizedByGraph = new IdentityHashMap<>();
    /** PICO's power-iteration graph: A_W v and A_Wᵀ u for every tracked convolution. */
    private SameDiff iteration;

    public SpectralNorm(Mode mode) {
        this(mode, mode == Mode.PICO ? PICO_CONSTANT : 1);
    }

    /** @param constant C in W̄ = C·W/σ (PICO; 1 otherwise) */
    public SpectralNorm(Mode mode, double constant) {
        if (!(constant > 0) || !Double.isFinite(constant)) {
            throw new IllegalArgumentException("spectral norm constant must be > 0, got " + constant);
        }
        this.mode = mode;
        this.constant = constant;
    }

    public Mode mode() {
        return mode;
    }

    public double constant() {
        return constant;
    }

    /**
     * Starts tracking a convolution kernel [k, k, in, out] with input [in, h, w]: PICO uses the convolution, the
     * others the matrix [k·k·in, out].
     */
    void registerConv(String fullName, INDArray kernel, Random random, long[] inputShape, int stride) {
        if (mode != Mode.PICO) {
            register(fullName, kernel, random);
            return;
        }
        int k = (int) kernel.size(0);
        long out = kernel.size(3);
        long h = Convolutions.outputSize(inputShape[1], k, stride);
        convolutions.put(fullName, new ConvOperator(k, stride));
        vs.put(fullName, Nd4j.zeros(kernel.dataType(), 1, inputShape[0], inputShape[1], inputShape[2]));
        us.put(fullName, unitGaussian(random, kernel.dataType(), 1, out, h, Convolutions.outputSize(inputShape[2], k, stride)));
        iteration = null; // rebuilt with this operator on next use
    }

    /**
     * Starts tracking weight {@code fullName} [.., out], seen as the matrix [in, out] with in the product of the other
     * dimensions: a random unit u, then one iteration so σ is defined at once.
     */
    void register(String fullName, INDArray weight, Random random) {
        long out = weight.size(weight.rank() - 1);
        long in = weight.length() / out;
        us.put(fullName, unitGaussian(random, weight.dataType(), 1, out));
        vs.put(fullName, Nd4j.zeros(weight.dataType(), 1, in));
        iterateMatrix(fullName, weight);
    }

    private static INDArray unitGaussian(Random random, DataType type, long... shape) {
        INDArray a = Nd4j.zeros(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, random.nextGaussian());
        }
        return a.divi(a.norm2Number()).castTo(type);
    }

    public List<String> weights() {
        return List.copyOf(us.keySet());
    }

    /** One power iteration for every tracked weight: v ← normalize(Aᵀu), u ← normalize(A v). */
    public void iterate(Parameters params) {
        for (String name : us.keySet()) {
            if (!convolutions.containsKey(name)) {
                iterateMatrix(name, params.get(name));
            }
        }
        if (!convolutions.isEmpty()) {
            iterateConvolutions(params);
        }
    }

    private void iterateMatrix(String name, INDArray weight) {
        INDArray w = matrix(weight);
        INDArray v = us.get(name).mmul(w.transpose());
        v.divi(v.norm2Number().doubleValue() + 1e-12);
        INDArray u = v.mmul(w);
        u.divi(u.norm2Number().doubleValue() + 1e-12);
        vs.get(name).assign(v);
        us.get(name).assign(u);
    }

    /** PICO: v ← normalize(convᵀ(u)), then u ← normalize(conv(v)), with the layers' real strides and padding. */
    private void iterateConvolutions(Parameters params) {
        if (iteration == null) {
            iteration = SameDiff.create();
            convolutions.forEach((name, op) -> {
                SDVariable w = params.bindRaw(iteration, name);
                long in = w.getShape()[2];
                long out = w.getShape()[3];
                SDVariable u = iteration.placeHolder(uName(name), w.dataType(), us.get(name).shape());
                Convolutions.transpose(iteration, u, w, op.kernel(), op.stride(), in, out, us.get(name).shape()[2])
                        .rename("vt/" + name);
                SDVariable v = iteration.placeHolder(vName(name), w.dataType(), vs.get(name).shape());
                Convolutions.conv(iteration, v, w, null, op.kernel(), op.stride()).rename("u/" + name);
            });
        }
        Map<String, INDArray> feed = new HashMap<>();
        convolutions.keySet().forEach(name -> feed.put(uName(name), us.get(name)));
        convolutions.keySet().forEach(name -> feed.put(vName(name), vs.get(name)));
        for (String name : convolutions.keySet()) {
            INDArray v = iteration.output(feed, "vt/" + name).get("vt/" + name);
            vs.get(name).assign(v.divi(v.norm2Number().doubleValue() + 1e-12));
            INDArray u = iteration.output(feed, "u/" + name).get("u/" + name);
            us.get(name).assign(u.divi(u.norm2Number().doubleValue() + 1e-12));
        }
    }

    /** σ estimate ⟨u, A_W v⟩ of one weight, from the current vectors. */
    public double sigma(String name, INDArray w) {
        if (convolutions.containsKey(name)) {
            SameDiff sd = SameDiff.create();
            ConvOperator op = convolutions.get(name);
            Convolutions.conv(sd, sd.constant(vs.get(name)), sd.constant(w), null, op.kernel(), op.stride())
                    .mul(sd.constant(us.get(name))).sum().rename("sigma");
            return sd.output(Map.of(), "sigma").get("sigma").getDouble(0);
        }
        return vs.get(name).mmul(matrix(w)).mul(us.get(name)).sumNumber().doubleValue();
    }

    /** W̄ for weight {@code fullName} in graph sd (built once per graph). */
    SDVariable normalize(SameDiff sd, String fullName, SDVariable w, Parameters params) {
        Map<String, SDVariable> built = normalizedByGraph.computeIfAbsent(sd, g -> new HashMap<>());
        if (built.containsKey(fullName)) {
            return built.get(fullName);
        }
        SDVariable u = sd.placeHolder(uName(fullName), w.dataType(), us.get(fullName).shape());
        SDVariable v = sd.placeHolder(vName(fullName), w.dataType(), vs.get(fullName).shape());
        ConvOperator op = convolutions.get(fullName);
        SDVariable sigma = op != null
                ? Convolutions.conv(sd, v, w, null, op.kernel(), op.stride()).mul(u).sum()
                : v.mmul(w.getShape().length == 2 ? w : w.reshape(-1, us.get(fullName).length())).mul(u).sum();
        // W·(C/σ), not C·W/σ: SameDiff 1.0.0-M2.1's gradient of a matrix divided by a scalar variable that itself
        // depends on the matrix is wrong (measured: twice the finite-difference value), the product's is right.
        SDVariable result = w.mul(sigma.rdiv(constant));
        if (mode == Mode.LEARNED_SCALE) {
            result = result.mul(params.bindRaw(sd, gammaName(fullName)));
        }
        built.put(fullName, result);
        return result;
    }

    private static INDArray matrix(INDArray w) {
        return w.rank() == 2 ? w : w.reshape(w.length() / w.size(w.rank() - 1), w.size(w.rank() - 1));
    }

    /** Placeholder values for a graph that uses these weights. */
    public Map<String, INDArray> feed() {
        Map<String, INDArray> feed = new LinkedHashMap<>();
        us.forEach((name, u) -> feed.put(uName(name), u));
        vs.forEach((name, v) -> feed.put(vName(name), v));
        return feed;
    }

    /** The persistent vectors by name ("u" and "v" per weight), for checkpoints. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> state = new LinkedHashMap<>();
        us.forEach((name, u) -> state.put(name + ".u", u));
        vs.forEach((name, v) -> state.put(name + ".v", v));
        return state;
    }

    static String gammaName(String fullName) {
        return "gamma_" + fullName.substring(fullName.indexOf('/') + 1);
    }

    private static String uName(String fullName) {
        return "SN_u/" + fullName;
    }

    private static String vName(String fullName) {
        return "SN_v/" + fullName;
    }
}
