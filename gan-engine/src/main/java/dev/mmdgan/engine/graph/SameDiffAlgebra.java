package dev.mmdgan.engine.graph;

import dev.mmdgan.core.kernel.PairTerms;
import dev.mmdgan.core.kernel.TensorAlgebra;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * {@link TensorAlgebra} on SameDiff variables: the kernels of mmd-core become differentiable graph ops.
 *
 * <p>Two choices keep gradients finite: clamps are written with ReLU (derivative 0 or 1), and √x is
 * √(x + 1e−12), since a self-Gram's zero diagonal would otherwise give ∞·0 in back-propagation.
 */
public final class SameDiffAlgebra implements TensorAlgebra<SDVariable> {

    static final double SQRT_EPSILON = 1e-12;

    private final SameDiff sd;

    public SameDiffAlgebra(SameDiff sd) {
        this.sd = sd;
    }

    /** Pair terms of the rows of a [m, d] and b [n, d]; {@code self} when a and b are the same batch. */
    public PairTerms<SDVariable> pairTerms(SDVariable a, SDVariable b, long dim) {
        SDVariable sqA = rowSums(a.mul(a), dim);
        SDVariable sqB = a == b ? sqA : rowSums(b.mul(b), dim);
        return new PairTerms<>(sd.mmul(a, b, false, true, false), sqA, sd.transpose(sqB), dim, a == b);
    }

    /**
     * Sum over the columns of an [n, width] variable, kept as [n, 1]. With width 1 the variable is returned as is:
     * SameDiff 1.0.0-M2.1 fails (NullPointerException in BaseReduceOp.noOp) when reducing a dimension of size 1.
     */
    public static SDVariable rowSums(SDVariable x, long width) {
        return width == 1 ? x : x.sum(true, 1);
    }

    @Override
    public SDVariable scale(SDVariable x, double s) {
        return x.mul(s);
    }

    @Override
    public SDVariable shift(SDVariable x, double c) {
        return x.add(c);
    }

    @Override
    public SDVariable plus(SDVariable x, SDVariable y) {
        return x.add(y);
    }

    @Override
    public SDVariable minus(SDVariable x, SDVariable y) {
        return x.sub(y);
    }

    @Override
    public SDVariable mul(SDVariable x, SDVariable y) {
        return x.mul(y);
    }

    @Override
    public SDVariable exp(SDVariable x) {
        return sd.math().exp(x);
    }

    @Override
    public SDVariable sqrt(SDVariable x) {
        return sd.math().sqrt(x.add(SQRT_EPSILON));
    }

    @Override
    public SDVariable pow(SDVariable x, double p) {
        return x.pow(p);
    }

    @Override
    public SDVariable atLeast(SDVariable x, double lo) {
        return sd.nn().relu(x.sub(lo), 0).add(lo);
    }

    @Override
    public SDVariable atMost(SDVariable x, double hi) {
        return sd.nn().relu(x.rsub(hi), 0).rsub(hi);
    }

    @Override
    public SDVariable outerSum(SDVariable column, SDVariable row) {
        return column.add(row);
    }

    @Override
    public SDVariable zeroDiagonal(SDVariable x) {
        return x.sub(sd.math().diag(sd.math().diagPart(x)));
    }
}
