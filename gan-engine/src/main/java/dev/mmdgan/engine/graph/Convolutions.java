package dev.mmdgan.engine.graph;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.DataFormat;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two convolutions of the DCGAN presets, in NCHW with kernels [k, k, in, out] and padding 1: 3×3 stride 1
 * (same size) and 4×4 stride 2 (half size), and their transposes.
 *
 * <p>Transposed convolutions never use libnd4j's {@code deconv2d}: in 1.0.0-M2.1 it is about 10× slower than a
 * forward convolution of the same size (docs/stack-notes.md). A 4×4 stride-2 transposed convolution is computed
 * exactly by phases ("sub-pixel" convolution): along each axis, output 2q + a only sees input q − 1 + a and
 * q + a, through taps 3 − a and 1 − a of the kernel. So one 2×2 convolution of the input padded by 1, to 4× the
 * channels (one group per output phase (a, b), its kernel rearranged from the 4×4 one inside the graph), gives
 * every phase on a grid one larger than the input; phase (a, b) is the crop starting at (a, b), and
 * depth-to-space interleaves the four. That is 4·(h + 1)²/h² of the multiply-adds of the definition, where a
 * 3×3 sub-pixel kernel with zero taps would do 9.
 */
public final class Convolutions {

    /** Row (t_y, t_x, a, b) of the rearrangement picks tap (3 − 2t_y − a, 3 − 2t_x − b) of the 4×4 kernel. */
    private static final float[][] PHASES = phaseSelection();

    private Convolutions() {
    }

    /** Checks that a kernel size/stride pair is one of the two this class implements. */
    public static void checkSupported(int kernel, int stride) {
        if (!(kernel == 3 && stride == 1) && !(kernel == 4 && stride == 2)) {
            throw new IllegalArgumentException("convolutions are 3×3 stride 1 or 4×4 stride 2, got " + kernel + "×" + kernel
                    + " stride " + stride);
        }
    }

    /** Output height of a convolution of input height {@code size}. */
    public static long outputSize(long size, int kernel, int stride) {
        return (size + 2 - kernel) / stride + 1;
    }

    /** conv(x, w) + bias with padding 1; {@code bias} [out] may be null. */
    public static SDVariable conv(SameDiff sd, SDVariable x, SDVariable w, SDVariable bias, int kernel, int stride) {
        long[] shape = w.getShape();
        if (kernel == 4 && stride == 2 && shape != null && shape[2] == 1) {
            return singleChannelHalving(sd, x, w, bias, shape[3]);
        }
        return conv(sd, x, w, bias, kernel, stride, 1);
    }

    private static SDVariable conv(SameDiff sd, SDVariable x, SDVariable w, SDVariable bias, int kernel, int stride,
                                   int padding) {
        Conv2DConfig config = Conv2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
        return bias == null ? sd.cnn().conv2d(x, w, config) : sd.cnn().conv2d(x, w, bias, config);
    }

    /**
     * A 4×4 stride-2 convolution of a one-channel image x [n, 1, h, h] (h even) as a 2×2 stride-1 convolution of
     * its padded space-to-depth rearrangement [n, 4, h/2 + 1, h/2 + 1]: tap (2·d_y + b_y, 2·d_x + b_x) of w becomes
     * tap (d_y, d_x) of channel 2·b_y + b_x. Same values and multiply-adds, but oneDNN's backward pass of a
     * convolution with one input channel is about twice as slow as this one with four (the critic's first layer).
     */
    private static SDVariable singleChannelHalving(SameDiff sd, SDVariable x, SDVariable w, SDVariable bias, long out) {
        SDVariable padded = sd.nn().pad(x, sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0}, {1, 1}, {1, 1}})), 0);
        SDVariable blocks = sd.cnn().spaceToDepth(padded, 2, DataFormat.NCHW);
        SDVariable kernel = sd.permute(w.reshape(2, 2, 2, 2, out), 0, 2, 1, 3, 4).reshape(2, 2, 4, out);
        return conv(sd, blocks, kernel, bias, 2, 1, 0);
    }

    /**
     * The 4×4 stride-2 transposed convolution of x [n, in, size, size] with kernel v [4, 4, in, out]:
     * [n, out, 2·size, 2·size], where, along each spatial axis, y[o, m] = Σ over c, i, k with 2i + k − 1 = m of
     * v[k, c, o]·x[c, i]. It is the adjoint of a 4×4 stride-2 convolution from {@code out} to {@code in} channels
     * whose kernel is v with its channel axes swapped.
     */
    public static SDVariable upsample(SameDiff sd, SDVariable x, SDVariable v, long in, long out, long size) {
        SDVariable taps = sd.constant(Nd4j.create(PHASES).castTo(v.dataType()))
                .mmul(v.reshape(16, in * out));                       // [16, in·out]
        SDVariable kernel = sd.permute(taps.reshape(2, 2, 2, 2, in, out), 0, 1, 4, 2, 3, 5).reshape(2, 2, in, 4 * out);
        SDVariable phases = conv(sd, x, kernel, null, 2, 1);          // [n, 4·out, size + 1, size + 1]
        SDVariable[] crops = new SDVariable[4];
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                int phase = 2 * a + b;
                crops[phase] = phases.get(SDIndex.all(), SDIndex.interval(phase * out, (phase + 1) * out),
                        SDIndex.interval((long) a, a + size), SDIndex.interval((long) b, b + size));
            }
        }
        return sd.cnn().depthToSpace(sd.concat(1, crops), 2, DataFormat.NCHW);
    }

    /**
     * The adjoint (transpose) of {@link #conv} with kernel w [k, k, in, out] applied to g [n, out, size, size]: the
     * gradient of ⟨conv(x, w), g⟩ with respect to x, [n, in, h, h].
     */
    public static SDVariable transpose(SameDiff sd, SDVariable g, SDVariable w, int kernel, int stride, long in, long out,
                                       long size) {
        checkSupported(kernel, stride);
        SDVariable swapped = sd.permute(w, 0, 1, 3, 2);
        if (kernel == 4) {
            return upsample(sd, g, swapped, out, in, size);
        }
        // Stride 1: correlation with the spatially flipped kernel.
        return conv(sd, g, sd.reverse(swapped, 0, 1), null, 3, 1);
    }

    private static float[][] phaseSelection() {
        float[][] s = new float[16][16];
        for (int ty = 0; ty < 2; ty++) {
            for (int tx = 0; tx < 2; tx++) {
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        s[((ty * 2 + tx) * 2 + a) * 2 + b][(3 - 2 * ty - a) * 4 + (3 - 2 * tx - b)] = 1;
                    }
                }
            }
        }
        return s;
    }
}
