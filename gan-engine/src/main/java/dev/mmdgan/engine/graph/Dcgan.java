package dev.mmdgan.engine.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The DCGAN presets of docs/methods.md §5.
 *
 * <p>Generator: z → dense to [c₀, h₀, h₀], BN, ReLU → 4×4 stride-2 transposed convolutions, each with BN and
 * ReLU → output layer (another 4×4 stride-2 transposed convolution, or a 3×3 convolution) → tanh.
 * Critic: 3×3 stride-1 and 4×4 stride-2 convolutions with leaky ReLU → dense to s. The critic has no batch norm
 * (docs/methods.md §5): the reference code turns it off whenever a gradient penalty is on, and with it φ(x) would
 * depend on the other samples of the batch, which the MMD estimators assume it does not.
 *
 * @param name            registry name
 * @param noiseDim        dimension of z
 * @param channels        image channels (1 for Fashion-MNIST and MNIST, 3 for CIFAR-10)
 * @param size            image height and width
 * @param criticOutputDim s
 * @param denseChannels   c₀, channels of the generator's first feature map
 * @param upChannels      output channels of the hidden transposed convolutions
 * @param convOutput      whether the output layer is a 3×3 convolution (else a transposed convolution)
 * @param critic          the critic's convolutions
 * @param leakySlope      leaky ReLU slope in the critic
 */
public record Dcgan(String name, int noiseDim, long channels, long size, int criticOutputDim, long denseChannels,
                    List<Long> upChannels, boolean convOutput, List<ConvLayer> critic, double leakySlope)
        implements Architecture {

    /** One critic convolution. */
    public record ConvLayer(int kernel, int stride, long channels) {
        public ConvLayer {
            Convolutions.checkSupported(kernel, stride);
        }
    }

    public Dcgan {
        upChannels = List.copyOf(upChannels);
        critic = List.copyOf(critic);
        if (criticOutputDim < 1) {
            throw new IllegalArgumentException("critic output dimension must be ≥ 1, got " + criticOutputDim);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("image channels must be ≥ 1, got " + channels);
        }
    }

    /**
     * {@code dcgan-28} (seed 000, Fashion-MNIST): G z ∈ R¹⁰⁰ → dense 7·7·128, BN, ReLU → deconv 4×4 s2 64, BN, ReLU
     * → deconv 4×4 s2 → tanh; critic conv 4×4 s2 64 LReLU(0.2) → conv 4×4 s2 128 LReLU → dense s (1024 by default).
     */
    public static Dcgan dcgan28(long channels, int criticOutputDim) {
        return new Dcgan("dcgan-28", 100, channels, 28, criticOutputDim, 128, List.of(64L), false,
                List.of(new ConvLayer(4, 2, 64), new ConvLayer(4, 2, 128)), 0.2);
    }

    /** {@code dcgan-32} (seed 003, Table S1, CIFAR-10): z ∈ R¹²⁸, 4·4·512 → 256 → 128 → 64 → conv 3×3; critic to 512, s = 16. */
    public static Dcgan dcgan32(long channels, int criticOutputDim) {
        return new Dcgan("dcgan-32", 128, channels, 32, criticOutputDim, 512, List.of(256L, 128L, 64L), true,
                criticStack(512), 0.1);
    }

    /** {@code dcgan-64} (seed 003, Table S2, CelebA/LSUN): z ∈ R¹²⁸, 4·4·1024 → 512 → … → 64 → conv 3×3; critic to 1024. */
    public static Dcgan dcgan64(long channels, int criticOutputDim) {
        return new Dcgan("dcgan-64", 128, channels, 64, criticOutputDim, 1024, List.of(512L, 256L, 128L, 64L), true,
                criticStack(1024), 0.1);
    }

    /** 3×3 s1 64, then (4×4 s2 c, 3×3 s1 c) for c = 128, 256, … up to {@code top}. */
    private static List<ConvLayer> criticStack(long top) {
        List<ConvLayer> layers = new ArrayList<>(List.of(new ConvLayer(3, 1, 64)));
        for (long c = 128; c <= top; c *= 2) {
            layers.add(new ConvLayer(4, 2, c));
            layers.add(new ConvLayer(3, 1, c));
        }
        return layers;
    }

    @Override
    public long[] sampleShape() {
        return new long[] {channels, size, size};
    }

    /** Height of the generator's first feature map: the image size halved once per transposed convolution. */
    private long denseSize() {
        return size >> (upChannels.size() + (convOutput ? 0 : 1));
    }

    /** Height of the critic's input (index 0) and of each layer's output (index l + 1). */
    private long[] criticSizes() {
        long[] sizes = new long[critic.size() + 1];
        sizes[0] = size;
        for (int l = 0; l < critic.size(); l++) {
            sizes[l + 1] = Convolutions.outputSize(sizes[l], critic.get(l).kernel(), critic.get(l).stride());
        }
        return sizes;
    }

    /** Input channels of critic layer l. */
    private long criticInputChannels(int l) {
        return l == 0 ? channels : critic.get(l - 1).channels();
    }

    /** [channels, height, width] of the critic's last feature map. */
    private long[] criticTop() {
        long s = criticSizes()[critic.size()];
        return new long[] {critic.get(critic.size() - 1).channels(), s, s};
    }

    @Override
    public void initialize(Parameters generator, Parameters critic, Random random) {
        long h0 = denseSize();
        long dense = denseChannels * h0 * h0;
        generator.weight("dense_W", random, noiseDim, noiseDim, dense);
        BatchNorm.add(generator, "dense_bn", 1, dense);
        long in = denseChannels;
        for (int i = 0; i < upChannels.size(); i++) {
            long out = upChannels.get(i);
            generator.transposedConvWeight("up" + i + "_W", random, 4, in, out);
            BatchNorm.add(generator, "up" + i + "_bn", 1, out, 1, 1);
            in = out;
        }
        if (convOutput) {
            generator.weight("out_W", random, 9 * in, 3, 3, in, channels);
            generator.bias("out_b", random, 9 * in, 1, channels, 1, 1);
        } else {
            generator.transposedConvWeight("out_W", random, 4, in, channels);
            generator.bias("out_b", random, 16 * channels, 1, channels, 1, 1);
        }

        long[] sizes = criticSizes();
        for (int l = 0; l < this.critic.size(); l++) {
            ConvLayer layer = this.critic.get(l);
            long c = criticInputChannels(l);
            critic.convWeight("conv" + l + "_W", random, layer.kernel(), c, layer.channels(),
                    new long[] {c, sizes[l], sizes[l]}, layer.stride());
            critic.bias("conv" + l + "_b", random, (long) layer.kernel() * layer.kernel() * c, layer.channels());
        }
        long[] top = criticTop();
        critic.transposedDenseWeight("out_W", random, top[0] * top[1] * top[2], criticOutputDim);
        critic.bias("out_b", random, top[0] * top[1] * top[2], 1, criticOutputDim);
    }

    @Override
    public SDVariable generator(SameDiff sd, SDVariable z, Parameters p, boolean training) {
        long h0 = denseSize();
        SDVariable h = z.mmul(p.bind(sd, "dense_W")); // no bias: batch norm's β takes its place
        h = relu(sd, BatchNorm.apply(sd, h, p, "dense_bn", training, 0)).reshape(-1, denseChannels, h0, h0);
        long in = denseChannels;
        long s = h0;
        for (int i = 0; i < upChannels.size(); i++) {
            long out = upChannels.get(i);
            h = Convolutions.upsample(sd, h, p.bind(sd, "up" + i + "_W"), in, out, s);
            h = relu(sd, BatchNorm.apply(sd, h, p, "up" + i + "_bn", training, 0, 2, 3));
            in = out;
            s *= 2;
        }
        h = convOutput ? Convolutions.conv(sd, h, p.bind(sd, "out_W"), null, 3, 1)
                : Convolutions.upsample(sd, h, p.bind(sd, "out_W"), in, channels, s);
        return sd.math().tanh(h.add(p.bind(sd, "out_b"))).reshape(-1, channels * size * size);
    }

    /**
     * ReLU(x) = x·step(x), with a mask that step() keeps out of autodiff: the same values as libnd4j's relu, whose
     * backward op is about four times slower than a product's (4 ms against 1 ms on dcgan-28's hidden layer).
     */
    private static SDVariable relu(SameDiff sd, SDVariable x) {
        return x.mul(sd.math().step(x, 0));
    }

    @Override
    public CriticPass critic(SameDiff sd, SDVariable x, Parameters p) {
        return new Pass(sd, x, p);
    }

    /** The critic's forward pass, with its activation derivatives kept for the input gradient. */
    private final class Pass implements CriticPass {
        private final SameDiff sd;
        private final Parameters p;
        /** Per layer, LReLU'(z) = α + (1 − α)·step(z): the forward pass multiplies by it, the input gradient too. */
        private final List<SDVariable> slopes;
        private final List<SDVariable> out;

        private Pass(SameDiff sd, Parameters p, List<SDVariable> slopes, List<SDVariable> out) {
            this.sd = sd;
            this.p = p;
            this.slopes = slopes;
            this.out = out;
        }

        Pass(SameDiff sd, SDVariable x, Parameters p) {
            this(sd, p, new ArrayList<>(), new ArrayList<>());
            SDVariable h = x.reshape(-1, channels, size, size);
            for (int l = 0; l < critic.size(); l++) {
                ConvLayer layer = critic.get(l);
                SDVariable z = Convolutions.conv(sd, h, p.bind(sd, "conv" + l + "_W"), p.bind(sd, "conv" + l + "_b"),
                        layer.kernel(), layer.stride());
                // LReLU(z) = z·LReLU'(z), with a derivative mask that step() keeps out of autodiff: the same values
                // as libnd4j's leakyrelu, whose forward and backward ops are several times slower than a product.
                SDVariable slope = sd.math().step(z, 0).mul(1 - leakySlope).add(leakySlope);
                slopes.add(slope);
                h = z.mul(slope);
                out.add(h);
            }
            long[] top = criticTop();
            SDVariable flat = h.reshape(-1, top[0] * top[1] * top[2]);
            out.add(sd.mmul(flat, p.bind(sd, "out_W"), false, true, false).add(p.bind(sd, "out_b"))); // out_W is [s, in]
        }

        @Override
        public List<SDVariable> layers() {
            return out;
        }

        @Override
        public CriticPass rows(long from, long to) {
            return new Pass(sd, p, CriticPass.sliceRows(slopes, from, to), CriticPass.sliceRows(out, from, to));
        }

        @Override
        public SDVariable inputGradient(SDVariable v) {
            long[] top = criticTop();
            long[] sizes = criticSizes();
            SDVariable g = v.mmul(p.bind(sd, "out_W")).reshape(-1, top[0], top[1], top[2]);
            for (int l = critic.size() - 1; l >= 0; l--) {
                ConvLayer layer = critic.get(l);
                g = g.mul(slopes.get(l));
                g = Convolutions.transpose(sd, g, p.bind(sd, "conv" + l + "_W"), layer.kernel(), layer.stride(),
                        criticInputChannels(l), layer.channels(), sizes[l + 1]);
            }
            return g.reshape(-1, channels * size * size);
        }
    }
}
