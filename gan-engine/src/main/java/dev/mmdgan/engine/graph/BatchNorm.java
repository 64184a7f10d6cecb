package dev.mmdgan.engine.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalization of the generator's hidden layers: y = γ·(x − μ)/√(σ² + ε) + β. Training graphs use the
 * batch's mean and (biased) variance and record them; the trainer folds them into running statistics
 * ({@link #updateRunning}) that inference graphs use, as Ioffe and Szegedy do.
 *
 * <p>Written as elementwise ops: SameDiff 1.0.0-M2.1 cannot differentiate its fused {@code batchNorm} op (its
 * derivative's builder drops the axis argument: "axis must be specified").
 */
public final class BatchNorm {

    public static final double EPSILON = 1e-5;
    /** Weight of the old running value in each update. */
    public static final double MOMENTUM = 0.9;

    private BatchNorm() {
    }

    /** Adds γ = 1 and β = 0 (trainable) and the running mean 0 and variance 1 (state) of one layer. */
    static void add(Parameters p, String layer, long... shape) {
        p.ones(layer + "_gamma", shape);
        p.zeros(layer + "_beta", shape);
        p.addState(layer + "_mean", org.nd4j.linalg.factory.Nd4j.zeros(p.dataType(), shape));
        p.addState(layer + "_var", org.nd4j.linalg.factory.Nd4j.ones(p.dataType(), shape));
    }

    /** Normalizes x over {@code axes} (batch, and height and width for images). */
    static SDVariable apply(SameDiff sd, SDVariable x, Parameters p, String layer, boolean training, int... axes) {
        SDVariable centered;
        SDVariable variance;
        if (training) {
            SDVariable mean = x.mean(true, axes);
            centered = x.sub(mean);
            variance = centered.mul(centered).mean(true, axes);
            p.recordBatchStatistics(sd, layer, mean, variance);
        } else {
            centered = x.sub(p.bindRaw(sd, layer + "_mean"));
            variance = p.bindRaw(sd, layer + "_var");
        }
        // γ/√(σ² + ε) first, at the statistics' small shape, then one product over the whole batch.
        SDVariable scale = sd.math().rsqrt(variance.add(EPSILON)).mul(p.bindRaw(sd, layer + "_gamma"));
        if (training) {
            // libnd4j's multiply_bp tiles a broadcast operand element by element (~18 ms on dcgan-28's hidden
            // layer, against 1 ms for operands of equal shape), while add_bp only sums. So the scale is first
            // spread to x's shape by an addition; the product's backward pass then needs no tiling. (LossGradientTest
            // checks the generator's gradient, this included, against finite differences.)
            scale = sd.zerosLike(centered).add(scale);
        }
        return centered.mul(scale).add(p.bindRaw(sd, layer + "_beta"));
    }

    /** running ← m·running + (1 − m)·batch, for one layer's mean or variance. */
    public static void updateRunning(INDArray running, INDArray batch) {
        running.muli(MOMENTUM).addi(batch.reshape(running.shape()).mul(1 - MOMENTUM));
    }
}
