package dev.mmdgan.engine.loss;

import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.kernel.PairTerms;
import dev.mmdgan.engine.graph.Architecture;
import dev.mmdgan.engine.graph.CriticPass;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import dev.mmdgan.engine.graph.Parameters;
import dev.mmdgan.engine.graph.SameDiffAlgebra;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * What a loss is computed from: a real batch x and a fake batch y, their critic features, and the critic itself
 * (for losses that need its input gradient).
 *
 * @param sd           the graph
 * @param real         φ(x), [m, s]
 * @param fake         φ(y), [n, s]
 * @param features     s
 * @param realSamples  x, [m, sampleSize]
 * @param fakeSamples  y, [n, sampleSize]
 * @param critic       the critic, for gradients with respect to its input
 * @param mixing       u ~ U(0, 1) per sample, [m, 1], for interpolates u·x + (1 − u)·y
 * @param interpolates x̂ = u·x + (1 − u)·y, [m, sampleSize] (null without mixing)
 * @param coefficient  the loss's current decaying coefficient (a scalar fed at every update; see
 *                     {@link GanLoss#initialCoefficient()})
 */
public record LossInputs(SameDiff sd, SDVariable real, SDVariable fake, long features, SDVariable realSamples,
                         SDVariable fakeSamples, CriticHandle critic, SDVariable mixing, SDVariable interpolates,
                         SDVariable coefficient) {

    /**
     * Inputs for a critic of the given architecture applied to real and fake samples in graph {@code sd}, with one
     * critic pass per input, however many terms of the loss use it. A generator update wants this: only the fake
     * samples' pass needs a backward pass.
     */
    public static LossInputs of(SameDiff sd, Architecture architecture, Parameters critic, SDVariable realSamples,
                                SDVariable fakeSamples, SDVariable mixing, SDVariable coefficient) {
        return build(sd, architecture, critic, realSamples, fakeSamples, mixing, coefficient, 0, false);
    }

    /**
     * Like {@link #of}, but with one critic pass over the real, the fake and (if {@code withInterpolates}) the
     * interpolated samples stacked, {@code batch} rows each, each input then reading its rows of it. Same values;
     * for a critic update, whose backward pass covers every input anyway, the larger products are faster.
     */
    public static LossInputs stacked(SameDiff sd, Architecture architecture, Parameters critic, SDVariable realSamples,
                                     SDVariable fakeSamples, SDVariable mixing, SDVariable coefficient, long batch,
                                     boolean withInterpolates) {
        return build(sd, architecture, critic, realSamples, fakeSamples, mixing, coefficient, batch, withInterpolates);
    }

    private static LossInputs build(SameDiff sd, Architecture architecture, Parameters critic, SDVariable realSamples,
                                    SDVariable fakeSamples, SDVariable mixing, SDVariable coefficient,
                                    long stackedBatch, boolean stackInterpolates) {
        SDVariable interpolates = mixing == null ? null
                : realSamples.mul(mixing).add(fakeSamples.mul(mixing.rsub(1.0)));
        Map<SDVariable, CriticPass> passes = new IdentityHashMap<>();
        if (stackedBatch > 0) {
            List<SDVariable> inputs = new ArrayList<>(List.of(realSamples, fakeSamples));
            if (stackInterpolates && interpolates != null) {
                inputs.add(interpolates);
            }
            CriticPass joint = architecture.critic(sd, sd.concat(0, inputs.toArray(new SDVariable[0])), critic);
            for (int i = 0; i < inputs.size(); i++) {
                passes.put(inputs.get(i), joint.rows(i * stackedBatch, (i + 1) * stackedBatch));
            }
        }
        Function<SDVariable, CriticPass> pass = x -> passes.computeIfAbsent(x, in -> architecture.critic(sd, in, critic));
        CriticHandle handle = new CriticHandle() {
            @Override
            public SDVariable features(SDVariable x) {
                return pass.apply(x).features();
            }

            @Override
            public SDVariable inputGradient(SDVariable x, SDVariable v) {
                return pass.apply(x).inputGradient(v);
            }

            @Override
            public List<SDVariable> layers(SDVariable x) {
                return pass.apply(x).layers();
            }
        };
        return new LossInputs(sd, handle.features(realSamples), handle.features(fakeSamples), architecture.criticOutputDim(),
                realSamples, fakeSamples, handle, mixing, interpolates, coefficient);
    }

    public SameDiffAlgebra ops() {
        return new SameDiffAlgebra(sd);
    }

    public PairTerms<SDVariable> pairs(SDVariable a, SDVariable b) {
        return ops().pairTerms(a, b, features);
    }

    /** The three Gram blocks of a kernel. */
    public Grams grams(Kernel kernel) {
        SameDiffAlgebra ops = ops();
        return new Grams(kernel.apply(ops, pairs(real, real)), kernel.apply(ops, pairs(fake, fake)),
                kernel.apply(ops, pairs(real, fake)), ops);
    }

    /** Gram blocks with the estimator terms built from them. */
    public record Grams(SDVariable xx, SDVariable yy, SDVariable xy, SameDiffAlgebra ops) {

        /** Mean of k(x_i, x_j) over i ≠ j. */
        public SDVariable withinReal(long m) {
            return ops.zeroDiagonal(xx).sum().div(m * (m - 1.0));
        }

        public SDVariable withinFake(long n) {
            return ops.zeroDiagonal(yy).sum().div(n * (n - 1.0));
        }

        public SDVariable cross() {
            return xy.mean();
        }

        /** Unbiased MMD²: within-set means without diagonals, cross mean over all pairs. */
        public SDVariable unbiasedMmd2(long m, long n) {
            return withinReal(m).add(withinFake(n)).sub(cross().mul(2));
        }

        /** Biased (V-statistic) MMD². */
        public SDVariable biasedMmd2() {
            return xx.mean().add(yy.mean()).sub(xy.mean().mul(2));
        }
    }
}
