package dev.mmdgan.engine.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** E_x ‖∂φ(x)/∂x‖²_F over a batch, from the critic's explicit input gradient: one pass per output dimension. */
final class JacobianNorm {

    private JacobianNorm() {
    }

    static SDVariable meanSquaredFrobenius(LossInputs in, SDVariable x, long batch) {
        SDVariable total = null;
        for (int k = 0; k < in.features(); k++) {
            INDArray oneHot = Nd4j.zeros(x.dataType(), batch, in.features());
            oneHot.getColumn(k).assign(1);
            SDVariable row = in.critic().inputGradient(x, in.sd().constant(oneHot));
            SDVariable sq = row.mul(row).sum();
            total = total == null ? sq : total.add(sq);
        }
        return total.div(batch);
    }
}
