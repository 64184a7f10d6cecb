package dev.mmdgan.engine.graph;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * {@code mlp-2d} (seed 000's 2-D experiments): generator z ∈ R² → 16 → 16 → 2 with ReLU; critic
 * 2 → 32 → 32 → s with ReLU (s = 16 by default).
 */
public record Mlp2d(int criticOutputDim) implements Architecture {

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
    public int sampleSize() {
        return 2;
    }

    @Override
    public void initialize(Parameters generator, Parameters critic, Random random) {
        dense(generator, random, GENERATOR);
        dense(critic, random, CRITIC_HIDDEN[0], CRITIC_HIDDEN[1], CRITIC_HIDDEN[2], criticOutputDim);
    }

    @Override
    public SDVariable generator(SameDiff sd, SDVariable z, Parameters weights) {
        return mlp(sd, z, weights, GENERATOR.length - 1);
    }

    @Override
    public java.util.List<SDVariable> criticLayers(SameDiff sd, SDVariable x, Parameters weights) {
        return layers(sd, x, weights, CRITIC_HIDDEN.length);
    }

    @Override
    public SDVariable criticInputGradient(SameDiff sd, SDVariable x, SDVariable v, Parameters weights) {
        int layers = CRITIC_HIDDEN.length;
        SDVariable[] pre = new SDVariable[layers];
        SDVariable h = x;
        for (int l = 0; l < layers; l++) {
            pre[l] = h.mmul(weights.bind(sd, "W" + l)).add(weights.bind(sd, "b" + l));
            h = sd.nn().relu(pre[l], 0);
        }
        SDVariable g = v;
        for (int l = layers - 1; l >= 0; l--) {
            if (l < layers - 1) {
                g = g.mul(sd.math().step(pre[l], 0)); // ReLU'(z): a mask whose own derivative is 0
            }
            g = g.mmul(sd.transpose(weights.bind(sd, "W" + l)));
        }
        return g;
    }

    private static void dense(Parameters p, Random random, int... widths) {
        for (int l = 0; l + 1 < widths.length; l++) {
            p.denseWeight("W" + l, random, widths[l], widths[l + 1]);
            p.zeros("b" + l, 1, widths[l + 1]);
        }
    }

    /** Dense layers with ReLU between them and a linear output. */
    private static SDVariable mlp(SameDiff sd, SDVariable x, Parameters p, int layers) {
        java.util.List<SDVariable> all = layers(sd, x, p, layers);
        return all.get(all.size() - 1);
    }

    /** The output of each dense layer (after ReLU for hidden ones). */
    private static java.util.List<SDVariable> layers(SameDiff sd, SDVariable x, Parameters p, int layers) {
        java.util.List<SDVariable> out = new java.util.ArrayList<>();
        SDVariable h = x;
        for (int l = 0; l < layers; l++) {
            h = h.mmul(p.bind(sd, "W" + l)).add(p.bind(sd, "b" + l));
            if (l + 1 < layers) {
                h = sd.nn().relu(h, 0);
            }
            out.add(h);
        }
        return out;
    }
}
