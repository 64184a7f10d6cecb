package dev.mmdgan.engine.graph;

import java.util.List;

/** Builds architectures by name. */
public final class Architectures {

    /** Architectures this engine trains. */
    public static final List<String> NAMES = List.of("mlp-2d", "dcgan-28", "dcgan-32", "dcgan-64");

    private Architectures() {
    }

    /**
     * The preset {@code name}.
     *
     * @param criticOutputDim s, or 0 for the preset's default (16; 1024 for dcgan-28, as seed 000)
     * @param channels        image channels of the data, or 0 for the preset's default (1 for dcgan-28, else 3)
     */
    public static Architecture byName(String name, int criticOutputDim, long channels) {
        return switch (name) {
            case "mlp-2d" -> new Mlp2d(orDefault(criticOutputDim, Mlp2d.DEFAULT_CRITIC_OUTPUT_DIM));
            case "dcgan-28" -> Dcgan.dcgan28(channels > 0 ? channels : 1, orDefault(criticOutputDim, 1024));
            case "dcgan-32" -> Dcgan.dcgan32(channels > 0 ? channels : 3, orDefault(criticOutputDim, 16));
            case "dcgan-64" -> Dcgan.dcgan64(channels > 0 ? channels : 3, orDefault(criticOutputDim, 16));
            default -> throw new IllegalArgumentException("unknown architecture '" + name + "'; allowed: " + String.join(", ", NAMES));
        };
    }

    private static int orDefault(int value, int fallback) {
        if (value < 0) {
            throw new IllegalArgumentException("critic output dimension must be ≥ 1, got " + value);
        }
        return value == 0 ? fallback : value;
    }
}
