package dev.mmdgan.engine.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.IdentityHashMap;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The weights of one network, by name. The arrays are bound into every graph that uses the network, so an
 * in-place update (the optimizer's) is seen by all of them.
 */
public final class Parameters {

    private final String prefix;
    private final DataType dataType;
    private final Map<String, INDArray> arrays = new LinkedHashMap<>();
    /** Non-trainable arrays (batch norm's running statistics): saved with the weights, never given to the optimizer. */
    private final Map<String, INDArray> state = new LinkedHashMap<>();
    /** Per training graph: batch-norm layer → its [batch mean, batch variance] variables. */
    private final Map<SameDiff, Map<String, SDVariable[]>> batchStatistics = new IdentityHashMap<>();
    private final SpectralNorm spectralNorm;
    private final Initialization initialization;

    /** @param prefix the network's name prefix in graphs, e.g. {@code G/} or {@code D/} */
    public Parameters(String prefix, DataType dataType) {
        this(prefix, dataType, new SpectralNorm(SpectralNorm.Mode.NONE), Initialization.HE_NORMAL);
    }

    /** He-normal parameters whose dense weights ({@link #denseWeight}) are spectrally normalized in graphs. */
    public Parameters(String prefix, DataType dataType, SpectralNorm spectralNorm) {
        this(prefix, dataType, spectralNorm, Initialization.HE_NORMAL);
    }

    /**
     * Parameters whose dense weights ({@link #denseWeight}) are spectrally normalized in graphs, and whose weights
     * and biases are drawn by {@code initialization}.
     */
    public Parameters(String prefix, DataType dataType, SpectralNorm spectralNorm, Initialization initialization) {
        this.prefix = prefix;
        this.dataType = dataType;
        this.spectralNorm = spectralNorm;
        this.initialization = initialization;
    }

    public SpectralNorm spectralNorm() {
        return spectralNorm;
    }

    /**
     * Adds a dense weight [in, out], spectrally normalized when this network uses spectral norm; with a learned
     * scale, its γ (initialized at 1) is added as a trainable parameter too.
     */
    public void denseWeight(String name, Random random, long in, long out) {
        weight(name, random, in, in, out);
        registerDense(name, random);
    }

    /**
     * Adds a dense weight stored transposed, [out, in] (as PyTorch's {@code Linear} keeps it), with the values
     * {@link #denseWeight} would draw. For a wide layer this is the faster layout: OpenBLAS multiplies by a
     * [K, N] operand marked transposed 2–3× slower than by a plain one when N is large, and the input gradient's
     * v·W and the backward pass's δ·W then take the plain form. Spectral norm is unchanged: σ(Wᵀ) = σ(W).
     */
    public void transposedDenseWeight(String name, Random random, long in, long out) {
        add(name, draw(random, in, in, in, out).transpose().dup('c'));
        registerDense(name, random);
    }

    private void registerDense(String name, Random random) {
        if (spectralNorm.mode() != SpectralNorm.Mode.NONE) {
            spectralNorm.register(prefix + name, arrays.get(prefix + name), random);
            if (spectralNorm.mode() == SpectralNorm.Mode.LEARNED_SCALE) {
                add(SpectralNorm.gammaName(prefix + name), Nd4j.ones(dataType, 1, 1));
            }
        }
    }

    /**
     * Adds a convolution kernel [k, k, in, out] (fan-in k·k·in), spectrally normalized like
     * {@link #denseWeight} when this network uses spectral norm.
     *
     * @param inputShape [in, height, width] of the layer's input, for PICO's persistent vector
     * @param stride     the convolution's stride (PICO runs the real convolution)
     */
    public void convWeight(String name, Random random, int k, long in, long out, long[] inputShape, int stride) {
        weight(name, random, (long) k * k * in, k, k, in, out);
        if (spectralNorm.mode() != SpectralNorm.Mode.NONE) {
            spectralNorm.registerConv(prefix + name, arrays.get(prefix + name), random, inputShape, stride);
            if (spectralNorm.mode() == SpectralNorm.Mode.LEARNED_SCALE) {
                add(SpectralNorm.gammaName(prefix + name), Nd4j.ones(dataType, 1, 1));
            }
        }
    }

    /** Adds a non-trainable array (e.g. a running statistic). */
    public void addState(String name, INDArray array) {
        if (arrays.containsKey(prefix + name) || state.putIfAbsent(prefix + name, array.castTo(dataType)) != null) {
            throw new IllegalStateException("duplicate parameter " + prefix + name);
        }
    }

    /** Non-trainable arrays by full name. */
    public Map<String, INDArray> stateArrays() {
        return Collections.unmodifiableMap(state);
    }

    /** Trainable and non-trainable arrays by full name: what a checkpoint stores. */
    public Map<String, INDArray> allArrays() {
        Map<String, INDArray> all = new LinkedHashMap<>(arrays);
        all.putAll(state);
        return all;
    }

    /** Remembers the batch statistics a batch-norm layer computed in training graph {@code sd}. */
    void recordBatchStatistics(SameDiff sd, String layer, SDVariable mean, SDVariable variance) {
        batchStatistics.computeIfAbsent(sd, g -> new LinkedHashMap<>()).put(prefix + layer, new SDVariable[] {mean, variance});
    }

    /** Batch-norm layer (full name) → names of its [batch mean, batch variance] variables in {@code sd} (empty without batch norm). */
    public Map<String, String[]> batchStatistics(SameDiff sd) {
        Map<String, String[]> names = new LinkedHashMap<>();
        batchStatistics.getOrDefault(sd, Map.of()).forEach((layer, v) -> names.put(layer, new String[] {v[0].name(), v[1].name()}));
        return names;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Adds a weight of a dense layer or a convolution whose outputs each sum over {@code fanIn} inputs. */
    public void weight(String name, Random random, long fanIn, long... shape) {
        add(name, draw(random, fanIn, fanIn, shape));
    }

    /**
     * Adds the kernel [k, k, in, out] of a k×k stride-2 transposed convolution. Each output sums over in·k²/4
     * inputs; PyTorch, whose {@code ConvTranspose2d} keeps the kernel as [in, out, k, k], takes out·k² as its fan-in.
     */
    public void transposedConvWeight(String name, Random random, int k, long in, long out) {
        add(name, draw(random, in * k * k / 4, out * k * k, k, k, in, out));
    }

    /** Adds a bias: zeros, or for the {@code pytorch} initialization U(±1/√fanIn) with PyTorch's fan-in. */
    public void bias(String name, Random random, long pytorchFanIn, long... shape) {
        add(name, Nd4j.create(initialization.biases(random, pytorchFanIn, (int) count(shape)), shape, DataType.DOUBLE)
                .castTo(dataType));
    }

    /** Adds an array of ones (batch norm's scale). */
    public void ones(String name, long... shape) {
        add(name, Nd4j.ones(dataType, shape));
    }

    /** Adds a zero-initialized array (biases). */
    public void zeros(String name, long... shape) {
        add(name, Nd4j.zeros(dataType, shape));
    }

    public void add(String name, INDArray array) {
        if (arrays.putIfAbsent(prefix + name, array.castTo(dataType)) != null) {
            throw new IllegalStateException("duplicate parameter " + prefix + name);
        }
    }

    /** The variable for {@code name} in this graph (its spectrally normalized form for a tracked weight). */
    public SDVariable bind(SameDiff sd, String name) {
        SDVariable raw = bindRaw(sd, name);
        String full = prefix + name;
        return spectralNorm.weights().contains(full) ? spectralNorm.normalize(sd, full, raw, this) : raw;
    }

    /** The variable for {@code name} as stored, created on first use. */
    SDVariable bindRaw(SameDiff sd, String name) {
        String full = name.startsWith(prefix) ? name : prefix + name;
        if (sd.hasVariable(full)) {
            return sd.getVariable(full);
        }
        INDArray array = arrays.containsKey(full) ? arrays.get(full) : state.get(full);
        if (array == null) {
            throw new IllegalStateException("no parameter " + full);
        }
        return sd.var(full, array);
    }

    /** Full names (with prefix) of the trainable arrays, in creation order. */
    public List<String> names() {
        return List.copyOf(arrays.keySet());
    }

    /** Trainable arrays by full name. */
    public Map<String, INDArray> arrays() {
        return Collections.unmodifiableMap(arrays);
    }

    public INDArray get(String fullName) {
        return arrays.containsKey(fullName) ? arrays.get(fullName) : state.get(fullName);
    }

    private INDArray draw(Random random, long forwardFanIn, long pytorchFanIn, long... shape) {
        double[] values = initialization.weights(random, forwardFanIn, pytorchFanIn, (int) count(shape));
        return Nd4j.create(values, shape, DataType.DOUBLE).castTo(dataType);
    }

    private static long count(long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
