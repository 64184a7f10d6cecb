package dev.mmdgan.engine.graph;

import java.util.List;

/** Builds architectures by name. */
public final class Architectures {

    /** Architectures this engine trains today. */
    public static final List<String> NAMES = List.of("mlp-2d");

    /** Presets of METHODS.md §5 still to come. */
    public static final List<String> PLANNED = List.of("dcgan-28", "dcgan-32", "dcgan-64");

    private Architectures() {
    }

    public static Architecture byName(String name, int criticOutputDim) {
        if (name.equals("mlp-2d")) {
            return new Mlp2d(criticOutputDim);
        }
        throw new IllegalArgumentException("unknown architecture '" + name + "'; allowed: " + String.join(", ", NAMES)
                + (PLANNED.contains(name) ? " (" + name + " is not implemented yet)" : ""));
    }
}
