package dev.mmdgan.engine.graph;

import java.util.List;

/** Networks small enough for finite differences, shared by tests. */
public final class TestNetworks {

    private TestNetworks() {
    }

    /**
     * 8×8 images: G 3 → dense [2, 2, 2], BN → 4×4 s2 transposed conv to 2 channels, BN → 4×4 s2 transposed conv to
     * 1, tanh; critic 4×4 s2 2 (one input channel: {@link Convolutions}' space-to-depth form) → 3×3 s1 2 → 4×4 s2 3
     * → dense s.
     */
    public static Dcgan tinyDcgan(int criticOutputDim) {
        return new Dcgan("tiny", 3, 1, 8, criticOutputDim, 2, List.of(2L), false,
                List.of(new Dcgan.ConvLayer(4, 2, 2), new Dcgan.ConvLayer(3, 1, 2), new Dcgan.ConvLayer(4, 2, 3)), 0.2);
    }
}
