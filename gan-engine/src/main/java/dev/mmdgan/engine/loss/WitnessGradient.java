package dev.mmdgan.engine.loss;

import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.kernel.KernelPartials;
import dev.mmdgan.engine.graph.SameDiffAlgebra;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * ∇_t f(t) of the witness f(t) = mean_i k(φ(x_i), φ(t)) − mean_j k(φ(y_j), φ(t)) on critic features, at every row
 * of t, as forward ops: the kernel's partials give ∂f/∂φ(t), and the critic's input gradient carries it back to t.
 */
public final class WitnessGradient {

    private WitnessGradient() {
    }

    /** [n, sampleSize] gradients at the n rows of {@code points}. */
    public static SDVariable at(LossInputs in, Kernel kernel, SDVariable points) {
        SDVariable features = in.critic().features(points);
        SDVariable upstream = meanKernelGradient(in, kernel, in.real(), features)
                .sub(meanKernelGradient(in, kernel, in.fake(), features));
        return in.critic().inputGradient(points, upstream);
    }

    /** ∇_b mean_i k(a_i, b) at every row b of {@code b}: (P_dotᵀ·A + 2·B ⊙ colsum(P_‖b‖²)) / m. */
    static SDVariable meanKernelGradient(LossInputs in, Kernel kernel, SDVariable a, SDVariable b) {
        SameDiffAlgebra ops = in.ops();
        KernelPartials<SDVariable> p = kernel.partials(ops, in.pairs(a, b));
        SDVariable m = in.sd().sizeAt(a, 0).castTo(a.dataType());
        SDVariable g = null;
        if (p.dDot() != null) {
            g = in.sd().mmul(p.dDot(), a, true, false, false);
        }
        if (p.dSqNormB() != null) {
            SDVariable term = b.mul(in.sd().transpose(p.dSqNormB().sum(true, 0))).mul(2);
            g = g == null ? term : g.add(term);
        }
        return g.div(m);
    }
}
