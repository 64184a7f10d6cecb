package dev.mmdgan.engine.graph;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.WeakHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Spectral normalization of dense critic weights W [in, out] (METHODS.md §4): W̄ = W/σ (PIM, Miyato et al.) or
 * W̄ = γ·W/σ with a learned per-layer γ initialized at 1 (SN-SMMD, Arbel et al.).
 *
 * <p>σ comes from one power iteration per critic update with persistent vectors u [1, out] and v [1, in]. The
 * iteration runs outside the graph ({@link #iterate}); the graph gets u and v as placeholders and computes
 * σ = (v·W)·uᵀ from the live W, so gradients flow through σ while u and v act as constants — the semantics of a
 * stop-gradient on u and v.
 */
public final class SpectralNorm {

    /** Which normalization, by the names the CLI and RunConfig use. */
    public enum Mode {
        NONE("none"), PIM("pim"), LEARNED_SCALE("learned-scale");

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
            throw new IllegalArgumentException("unknown spectral norm '" + name + "'; allowed: none, pim, learned-scale"
                    + (name.equals("pico") ? " (pico needs convolutional critics, which are not implemented yet)" : ""));
        }
    }

    private final Mode mode;
    private final Map<String, INDArray> us = new LinkedHashMap<>();
    private final Map<String, INDArray> vs = new LinkedHashMap<>();
    /** W̄ already built in each graph (renaming intermediate variables confuses SameDiff's gradients). */
    private final Map<SameDiff, Map<String, SDVariable>> normalizedByGraph = new WeakHashMap<>();

    public SpectralNorm(Mode mode) {
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    /** Starts tracking weight {@code fullName} [in, out]: a random unit u, then one iteration so σ is defined at once. */
    void register(String fullName, INDArray weight, Random random) {
        long in = weight.rows();
        long out = weight.columns();
        DataType type = weight.dataType();
        double[] u = new double[(int) out];
        double norm = 0;
        for (int i = 0; i < u.length; i++) {
            u[i] = random.nextGaussian();
            norm += u[i] * u[i];
        }
        INDArray ua = Nd4j.create(u, new long[] {1, out}, DataType.DOUBLE).divi(Math.sqrt(norm)).castTo(type);
        us.put(fullName, ua);
        vs.put(fullName, Nd4j.zeros(type, 1, in));
        iterate(fullName, weight);
    }

    public List<String> weights() {
        return List.copyOf(us.keySet());
    }

    /** One power iteration for every tracked weight: v ← normalize(u·Wᵀ), u ← normalize(v·W). */
    public void iterate(Parameters params) {
        for (String name : us.keySet()) {
            iterate(name, params.get(name));
        }
    }

    private void iterate(String name, INDArray w) {
        INDArray v = us.get(name).mmul(w.transpose());
        v.divi(v.norm2Number().doubleValue() + 1e-12);
        INDArray u = v.mmul(w);
        u.divi(u.norm2Number().doubleValue() + 1e-12);
        vs.get(name).assign(v);
        us.get(name).assign(u);
    }

    /** σ estimate (v·W)·uᵀ of one weight, from the current vectors. */
    public double sigma(String name, INDArray w) {
        return vs.get(name).mmul(w).mul(us.get(name)).sumNumber().doubleValue();
    }

    /** W̄ for weight {@code fullName} in graph sd (built once per graph). */
    SDVariable normalize(SameDiff sd, String fullName, SDVariable w, Parameters params) {
        Map<String, SDVariable> built = normalizedByGraph.computeIfAbsent(sd, g -> new HashMap<>());
        if (built.containsKey(fullName)) {
            return built.get(fullName);
        }
        SDVariable u = sd.placeHolder(uName(fullName), w.dataType(), us.get(fullName).shape());
        SDVariable v = sd.placeHolder(vName(fullName), w.dataType(), vs.get(fullName).shape());
        SDVariable sigma = v.mmul(w).mul(u).sum();
        // W·(1/σ), not W/σ: SameDiff 1.0.0-M2.1's gradient of a matrix divided by a scalar variable that itself
        // depends on the matrix is wrong (measured: twice the finite-difference value), the product's is right.
        SDVariable result = w.mul(sigma.rdiv(1.0));
        if (mode == Mode.LEARNED_SCALE) {
            result = result.mul(params.bindRaw(sd, gammaName(fullName)));
        }
        built.put(fullName, result);
        return result;
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
