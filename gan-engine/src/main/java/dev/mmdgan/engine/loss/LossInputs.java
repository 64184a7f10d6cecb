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
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a loss is computed from: a real batch x and a fake batch y, their critic features, and the critic itself
 * (for losses that need its input gradient).
 *
 * @param sd           the graph
 * @param real         φ(x), [m, s]
 * @param fake         φ(y), [n, s]
 * @param realAndFake  [φ(x); φ(y)], [m + n, s]: the rows every kernel term is evaluated on at once
 * @param features     s
 * @param realSamples  x, [m, sampleSize]
 * @param fakeSamples  y, [n, sampleSize]
 * @param critic       the critic, for gradients with respect to its input
 * @param mixing       u ~ U(0, 1) per sample, [m, 1], for interpolates u·x + (1 − u)·y
 * @param interpolates x̂ = u·x + (1 − u)·y, [m, sampleSize] (null without mixing)
 * @param coefficient  the loss's current decaying coefficient (a scalar fed at every update; see
 *                     {@link GanLoss#initialCoefficient()})
 */
public record LossInputs(SameDiff sd, SDVariable real, SDVariable fake, SDVariable realAndFake, long features,
                         SDVariable realSamples, SDVariable fakeSamples, CriticHandle critic, SDVariable mixing,
                         SDVariable interpolates, SDVariable coefficient) {

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
        SDVariable realAndFake = null;
        if (stackedBatch > 0) {
            List<SDVariable> inputs = new ArrayList<>(List.of(realSamples, fakeSamples));
            if (stackInterpolates && interpolates != null) {
                inputs.add(interpolates);
            }
            CriticPass joint = architecture.critic(sd, sd.concat(0, inputs.toArray(new SDVariable[0])), critic);
            for (int i = 0; i < inputs.size(); i++) {
                passes.put(inputs.get(i), joint.rows(i * stackedBatch, (i + 1) * stackedBatch));
            }
            realAndFake = joint.features().get(SDIndex.interval(0L, 2 * stackedBatch));
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
        SDVariable real = handle.features(realSamples);
        SDVariable fake = handle.features(fakeSamples);
        if (realAndFake == null) {
            realAndFake = sd.concat(0, real, fake);
        }
        return new LossInputs(sd, real, fake, realAndFake, architecture.criticOutputDim(), realSamples, fakeSamples, handle,
                mixing, interpolates, coefficient);
    }

    public SameDiffAlgebra ops() {
        return new SameDiffAlgebra(sd);
    }

    public PairTerms<SDVariable> pairs(SDVariable a, SDVariable b) {
        return ops().pairTerms(a, b, features);
    }

    /** The kernel on every pair of rows of [φ(x); φ(y)], the real and the fake batch having {@code batch} rows each. */
    public Grams grams(Kernel kernel, long batch) {
        return new Grams(kernel.apply(ops(), pairs(realAndFake, realAndFake)), batch, batch);
    }

    /**
     * k on every pair of rows of [x; y]: one (m + n)² matrix whose blocks are k(x, x'), k(x, y) and k(y, y'). One
     * kernel evaluation serves all three blocks, and every estimator term is a sum of its entries with constant
     * weights, two ops whatever the combination (the Fashion-MNIST recipe's critic update: 379 ops instead of 652).
     *
     * @param joint [m + n, m + n], rows and columns in the order x₁…x_m, y₁…y_n
     * @param m     real rows
     * @param n     fake rows
     */
    public record Grams(SDVariable joint, long m, long n) {

        /** From blocks computed separately (kernels whose value depends on the kind of pair). */
        public static Grams ofBlocks(SDVariable xx, SDVariable xy, SDVariable yy, long m, long n) {
            SameDiff sd = xx.getSameDiff();
            return new Grams(sd.concat(0, sd.concat(1, xx, xy), sd.concat(1, sd.transpose(xy), yy)), m, n);
        }

        /** Mean of k(x_i, x_j) over i ≠ j. */
        public SDVariable withinReal() {
            return weightedMeans(1, 0, 0);
        }

        /** Mean of k(y_i, y_j) over i ≠ j. */
        public SDVariable withinFake() {
            return weightedMeans(0, 0, 1);
        }

        /** Mean of k(x_i, y_j) over all pairs. */
        public SDVariable cross() {
            return weightedMeans(0, 1, 0);
        }

        /** Unbiased MMD²: within-set means without diagonals, cross mean over all pairs. */
        public SDVariable unbiasedMmd2() {
            return weightedMeans(1, -2, 1);
        }

        /** Biased (V-statistic) MMD²: every mean over all pairs, diagonals included. */
        public SDVariable biasedMmd2() {
            return weightedSum(1.0 / (m * m), -2.0 / (m * n), 1.0 / (n * n), true);
        }

        /** a·withinReal + c·cross + b·withinFake, as one weighted sum. */
        public SDVariable weightedMeans(double a, double c, double b) {
            return weightedSum(a / (m * (m - 1.0)), c / (m * n), b / (n * (n - 1.0)), false);
        }

        /** Σ w_ij·k_ij with weight {@code real} on k(x, x'), {@code cross} on k(x, y) (upper block only), {@code fake} on k(y, y'). */
        private SDVariable weightedSum(double real, double cross, double fake, boolean diagonal) {
            int size = Math.toIntExact(m + n);
            double[][] w = new double[size][size];
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    if (i != j || diagonal) {
                        w[i][j] = i < m ? (j < m ? real : cross) : (j < m ? 0 : fake);
                    }
                }
            }
            SameDiff sd = joint.getSameDiff();
            return joint.mul(sd.constant(Nd4j.createFromArray(w).castTo(joint.dataType()))).sum();
        }
    }
}
