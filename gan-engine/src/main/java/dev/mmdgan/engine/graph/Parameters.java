package dev.mmdgan.engine.graph;

import java.util.Collections;
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
 * The weights of one network, by name. The arrays are bound into every graph that uses the network, so an
 * in-place update (the optimizer's) is seen by all of them.
 */
public final class Parameters {

    private final String prefix;
    private final DataType dataType;
    private final Map<String, INDArray> arrays = new LinkedHashMap<>();
    private final SpectralNorm spectralNorm;

    /** @param prefix the network's name prefix in graphs, e.g. {@code G/} or {@code D/} */
    public Parameters(String prefix, DataType dataType) {
        this(prefix, dataType, new SpectralNorm(SpectralNorm.Mode.NONE));
    }

    /** Parameters whose dense weights ({@link #denseWeight}) are spectrally normalized in graphs. */
    public Parameters(String prefix, DataType dataType, SpectralNorm spectralNorm) {
        this.prefix = prefix;
        this.dataType = dataType;
        this.spectralNorm = spectralNorm;
    }

    public SpectralNorm spectralNorm() {
        return spectralNorm;
    }

    /**
     * Adds a dense weight [in, out] (He-normal), spectrally normalized when this network uses spectral norm;
     * with a learned scale, its γ (initialized at 1) is added as a trainable parameter too.
     */
    public void denseWeight(String name, Random random, long in, long out) {
        heNormal(name, random, in, in, out);
        if (spectralNorm.mode() != SpectralNorm.Mode.NONE) {
            spectralNorm.register(prefix + name, arrays.get(prefix + name), random);
            if (spectralNorm.mode() == SpectralNorm.Mode.LEARNED_SCALE) {
                add(SpectralNorm.gammaName(prefix + name), Nd4j.ones(dataType, 1, 1));
            }
        }
    }

    public DataType dataType() {
        return dataType;
    }

    /** Adds a weight matrix with He-normal initialization (std √(2 / fanIn)). */
    public void heNormal(String name, Random random, long fanIn, long... shape) {
        add(name, gaussian(random, Math.sqrt(2.0 / fanIn), shape));
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
        INDArray array = arrays.get(full);
        if (array == null) {
            throw new IllegalStateException("no parameter " + full);
        }
        return sd.var(full, array);
    }

    /** Full names (with prefix), in creation order. */
    public List<String> names() {
        return List.copyOf(arrays.keySet());
    }

    public Map<String, INDArray> arrays() {
        return Collections.unmodifiableMap(arrays);
    }

    public INDArray get(String fullName) {
        return arrays.get(fullName);
    }

    private INDArray gaussian(Random random, double std, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] values = new double[(int) n];
        for (int i = 0; i < values.length; i++) {
            values[i] = std * random.nextGaussian();
        }
        return Nd4j.create(values, shape, DataType.DOUBLE).castTo(dataType);
    }
}
