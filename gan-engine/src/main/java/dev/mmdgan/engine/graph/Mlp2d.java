package dev.mmdgan.engine.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * {@code mlp-2d} (seed 000's 2-D experiments): generator z ∈ R² → 16 → 16 → 2 with ReLU; critic
 * 2 → 32 → 32 → s with ReLU (s = 16 by default).
 */
public record Mlp2d(int criticOutputDim) implements Architecture {

    /** s when none is asked for. */
    public static final int DEFAULT_CRITIC_OUTPUT_DIM = 16;

    private static final int[] GENERATOR = {2, 16, 16, 2};
    private static final int[] CRITIC_HIDDEN = {2, 32, 32};

    public Mlp2d {
        if (criticOutputDim < 1) {
            throw new IllegalArgumentException("critic output dimension must be ≥ 1, got " + criticOutputDim);
        }
    }

    @Override
    public String name() {
        return "mlp-2d";
    }

    @Override
    public int noiseDim() {
        return 2;
    }

    @Override
    public long[] sampleShape() {
        return new long[] {2};
    }

    @Override
    public void initialize(Parameters generator, Parameters critic, Random random) {
        dense(generator, random, GENERATOR);
        dense(critic, random, CRITIC_HIDDEN[0], CRITIC_HIDDEN[1], CRITIC_HIDDEN[2], criticOutputDim);
    }

    @Override
    public SDVariable generator(SameDiff sd, SDVariable z, Parameters weights, boolean training) {
        return new Pass(sd, z, weights, GENERATOR.length - 1).features();
    }

    @Override
    public CriticPass critic(SameDiff sd, SDVariable x, Parameters weights) {
        return new Pass(sd, x, weights, CRITIC_HIDDEN.length);
    }

    private static void dense(Parameters p, Random random, int... widths) {
        for (int l = 0; l + 1 < widths.length; l++) {
            p.denseWeight("W" + l, random, widths[l], widths[l + 1]);
            p.bias("b" + l, random, widths[l], 1, widths[l + 1]);
        }
    }

    /** Dense layers with ReLU between them and a linear output; keeps the pre-activations for the input gradient. */
    private static final class Pass implements CriticPass {
        private final SameDiff sd;
        private final Parameters p;
        private final List<SDVariable> pre;
        private final List<SDVariable> out;

        private Pass(SameDiff sd, Parameters p, List<SDVariable> pre, List<SDVariable> out) {
            this.sd = sd;
            this.p = p;
            this.pre = pre;
            this.out = out;
        }

        Pass(SameDiff sd, SDVariable x, Parameters p, int layers) {
            this(sd, p, new ArrayList<>(), new ArrayList<>());
            SDVariable h = x;
            for (int l = 0; l < layers; l++) {
                h = h.mmul(p.bind(sd, "W" + l)).add(p.bind(sd, "b" + l));
                pre.add(h);
                if (l + 1 < layers) {
                    h = sd.nn().relu(h, 0);
                }
                out.add(h);
            }
        }

        @Override
        public List<SDVariable> layers() {
            return out;
        }

        @Override
        public CriticPass rows(long from, long to) {
            return new Pass(sd, p, CriticPass.sliceRows(pre, from, to), CriticPass.sliceRows(out, from, to));
        }

        @Override
        public SDVariable inputGradient(SDVariable v) {
            SDVariable g = v;
            for (int l = pre.size() - 1; l >= 0; l--) {
                if (l < pre.size() - 1) {
                    g = g.mul(sd.math().step(pre.get(l), 0)); // ReLU'(z): a mask whose own derivative is 0
                }
                g = sd.mmul(g, p.bind(sd, "W" + l), false, true, false);
            }
            return g;
        }
    }
}
