package dev.mmdgan.engine.loss;

import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.kernel.KernelPartials;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ∇_t f(t) of the witness f(t) = mean_i k(φ(x_i), φ(t)) − mean_j k(φ(y_j), φ(t)) on critic features, at every row
 * of t, as forward ops: the kernel's partials give ∂f/∂φ(t), and the critic's input gradient carries it back to t.
 */
public final class WitnessGradient {

    private WitnessGradient() {
    }

    /**
     * [t, sampleSize] gradients at the t rows of {@code points}, the real and the fake batch having {@code batch} rows
     * each. Both means come from one kernel evaluation against [φ(x); φ(y)], its rows weighted +1/m and −1/n:
     * ∇_b f = (W·P_dot)ᵀ·[φ(x); φ(y)] + 2·φ(b) ⊙ colsum(W·P_‖b‖²), with P the kernel's partials and W those weights.
     */
    public static SDVariable at(LossInputs in, Kernel kernel, SDVariable points, long batch) {
        SameDiff sd = in.sd();
        SDVariable features = in.critic().features(points);
        SDVariable both = in.realAndFake();
        KernelPartials<SDVariable> p = kernel.partials(in.ops(), in.pairs(both, features));
        double[][] signs = new double[Math.toIntExact(2 * batch)][1];
        for (int i = 0; i < signs.length; i++) {
            signs[i][0] = (i < batch ? 1.0 : -1.0) / batch;
        }
        SDVariable weights = sd.constant(Nd4j.createFromArray(signs).castTo(both.dataType()));
        SDVariable upstream = null;
        if (p.dDot() != null) {
            upstream = sd.mmul(p.dDot().mul(weights), both, true, false, false);
        }
        if (p.dSqNormB() != null) {
            SDVariable term = features.mul(sd.transpose(p.dSqNormB().mul(weights).sum(true, 0))).mul(2);
            upstream = upstream == null ? term : upstream.add(term);
        }
        return in.critic().inputGradient(points, upstream);
    }
}
