package dev.mmdgan.engine.loss;

import org.nd4j.autodiff.samediff.SDVariable;

/** A loss the critic maximizes and the generator minimizes: L_D = −L_G. */
public interface ZeroSumLoss extends GanLoss {

    @Override
    default SDVariable criticLoss(LossInputs in, long batch) {
        return generatorLoss(in, batch).neg();
    }
}
