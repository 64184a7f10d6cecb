package dev.mmdgan.engine.graph;

import java.util.Random;

/**
 * How a network's weights and biases are first drawn (batch norm always starts at γ = 1, β = 0).
 *
 * <ul>
 *   <li>{@code he-normal}: weights N(0, 2/fan-in) over the fan-in of the layer's forward map, biases 0.</li>
 *   <li>{@code pytorch}: PyTorch's defaults for {@code Linear}, {@code Conv2d} and {@code ConvTranspose2d}: weights
 *       and biases U(−1/√f, 1/√f), where f is the fan-in as PyTorch computes it from the weight's layout (for a
 *       transposed convolution that is out-channels·k², not the forward map's fan-in).</li>
 *   <li>{@code dcgan}: Radford et al.'s N(0, 0.02²) weights, biases 0.</li>
 * </ul>
 *
 * <p>docs/quality.md measures what the choice does to sample quality.
 */
public enum Initialization {
    HE_NORMAL("he-normal"), PYTORCH("pytorch"), DCGAN("dcgan");

    private final String label;

    Initialization(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Initialization byName(String name) {
        for (Initialization i : values()) {
            if (i.label.equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown initialization '" + name + "'; allowed: he-normal, pytorch, dcgan");
    }

    /**
     * n weights of a layer.
     *
     * @param forwardFanIn inputs each output of the forward map sums over (He's fan-in)
     * @param pytorchFanIn the fan-in PyTorch derives from the weight's layout
     */
    double[] weights(Random random, long forwardFanIn, long pytorchFanIn, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = switch (this) {
                case HE_NORMAL -> Math.sqrt(2.0 / forwardFanIn) * random.nextGaussian();
                case PYTORCH -> uniform(random, pytorchFanIn);
                case DCGAN -> 0.02 * random.nextGaussian();
            };
        }
        return w;
    }

    /** n biases of a layer: zeros, but for {@code pytorch}, which draws them like its weights. */
    double[] biases(Random random, long pytorchFanIn, int n) {
        double[] b = new double[n];
        if (this == PYTORCH) {
            for (int i = 0; i < n; i++) {
                b[i] = uniform(random, pytorchFanIn);
            }
        }
        return b;
    }

    private static double uniform(Random random, long fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        return (2 * random.nextDouble() - 1) * bound;
    }
}
