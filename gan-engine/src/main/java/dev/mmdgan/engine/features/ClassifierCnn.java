package dev.mmdgan.engine.features;

import java.util.Map;
import java.util.Random;
import dev.mmdgan.engine.graph.GradientFunctions;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The classifier whose penultimate layer is the standard feature network of a grey-image data set (recipe
 * {@link FeatureNetworks#VERSION}): two 3×3 convolutions (32 and 64 channels, padding 1, ReLU, each followed by 2×2 max
 * pooling), a dense ReLU layer of {@link #FEATURE_DIM} units (the features), and a dense layer to the class logits,
 * trained with softmax cross-entropy and Adam. Weights start He-normal from a seeded {@link Random}.
 *
 * <p>Graph variables: {@link #INPUT} [n, 1, h, w], {@link #LABELS} [n, classes] one-hot, {@link #FEATURES} [n, 128],
 * {@link #LOGITS} [n, classes]; parameters {@code c1/w} [3, 3, 1, 32] (kernel rows, columns, in, out), {@code c1/b},
 * {@code c2/w}, {@code c2/b}, {@code d1/w} [64·(h/4)·(w/4), 128] (inputs in channel-major order), {@code d1/b},
 * {@code d2/w}, {@code d2/b}. Not thread-safe.
 */
public final class ClassifierCnn {

    public static final String INPUT = "input";
    public static final String LABELS = "labels";
    public static final String FEATURES = "features";
    public static final String LOGITS = "logits";
    public static final int FEATURE_DIM = 128;
    static final String LOSS = "loss";
    static final int CHANNELS_1 = 32;
    static final int CHANNELS_2 = 64;

    private final SameDiff sd;
    private final int classes;

    private ClassifierCnn(SameDiff sd, int classes) {
        this.sd = sd;
        this.classes = classes;
    }

    /** A fresh classifier for one-channel images of {@code height}×{@code width} (multiples of 4). */
    public static ClassifierCnn create(int height, int width, int classes, double learningRate, long seed) {
        if (height % 4 != 0 || width % 4 != 0 || classes < 2) {
            throw new IllegalArgumentException("images must be multiples of 4 on each side and classes ≥ 2, got "
                    + height + "×" + width + ", " + classes + " classes");
        }
        Random random = new Random(seed);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, 1, height, width);
        SDVariable y = sd.placeHolder(LABELS, DataType.FLOAT, -1, classes);
        SDVariable h1 = convBlock(sd, "c1", x, 1, CHANNELS_1, random);
        SDVariable h2 = convBlock(sd, "c2", h1, CHANNELS_1, CHANNELS_2, random);
        int flat = CHANNELS_2 * (height / 4) * (width / 4);
        SDVariable flattened = h2.reshape(-1, flat);
        SDVariable features = sd.nn().relu(FEATURES, dense(sd, "d1", flattened, flat, FEATURE_DIM, random), 0);
        SDVariable logits = sd.nn().linear(LOGITS, features, weight(sd, "d2/w", random, FEATURE_DIM, FEATURE_DIM, classes),
                sd.var("d2/b", Nd4j.zeros(DataType.FLOAT, classes)));
        sd.loss().softmaxCrossEntropy(LOSS, y, logits, null);
        sd.setLossVariables(LOSS);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(learningRate))
                .dataSetFeatureMapping(INPUT)
                .dataSetLabelMapping(LABELS)
                .build());
        GradientFunctions.build(sd); // once, with SameDiff's per-op messages kept off standard output
        return new ClassifierCnn(sd, classes);
    }

    /** A 3×3 convolution (padding 1) with bias and ReLU, then 2×2 max pooling: halves each side. */
    private static SDVariable convBlock(SameDiff sd, String name, SDVariable in, int inChannels, int outChannels, Random random) {
        SDVariable w = weight(sd, name + "/w", random, 9 * inChannels, 3, 3, inChannels, outChannels);
        SDVariable b = sd.var(name + "/b", Nd4j.zeros(DataType.FLOAT, outChannels));
        Conv2DConfig conv = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
        SDVariable activated = sd.nn().relu(sd.cnn().conv2d(in, w, b, conv), 0);
        return sd.cnn().maxPooling2d(activated, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).isNHWC(false).build());
    }

    private static SDVariable dense(SameDiff sd, String name, SDVariable in, int inputs, int outputs, Random random) {
        return sd.nn().linear(in, weight(sd, name + "/w", random, inputs, inputs, outputs),
                sd.var(name + "/b", Nd4j.zeros(DataType.FLOAT, outputs)));
    }

    /** He-normal initial values: N(0, 2/fanIn). */
    private static SDVariable weight(SameDiff sd, String name, Random random, int fanIn, long... shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        float[] values = new float[Math.toIntExact(count)];
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return sd.var(name, Nd4j.create(values, shape, 'c'));
    }

    /** One Adam step on a batch: images [n, 1, h, w] in [−1, 1] and one-hot labels [n, classes]. */
    public void fitBatch(INDArray images, INDArray oneHot) {
        FreshArrays.attach(sd);
        sd.fit(new DataSet(images.dup(), oneHot.dup()));
        FreshArrays.recycle(sd);
    }

    /** Mean cross-entropy of a batch (a forward pass; the listener API of SameDiff M2.1 did not report it). */
    public double loss(INDArray images, INDArray oneHot) {
        FreshArrays.attach(sd);
        double loss = sd.output(Map.of(INPUT, images.dup(), LABELS, oneHot.dup()), LOSS).get(LOSS).sumNumber().doubleValue();
        FreshArrays.recycle(sd);
        return loss;
    }

    // Every call runs on a pooled session (FreshArrays: SameDiff M2.1's default array cache gave wrong results on
    // repeated calls), gets copies of its inputs, and copies its result before the call's arrays are recycled.

    /** Class logits of images [n, 1, h, w]. */
    public INDArray logits(INDArray images) {
        return output(images, LOGITS);
    }

    /** Penultimate-layer features of images [n, 1, h, w]. */
    public INDArray features(INDArray images) {
        return output(images, FEATURES);
    }

    private INDArray output(INDArray images, String name) {
        FreshArrays.attach(sd);
        INDArray result = sd.output(Map.of(INPUT, images.dup()), name).get(name).dup();
        FreshArrays.recycle(sd);
        return result;
    }

    /** A parameter array by name (e.g. {@code c1/w}); the live array, not a copy. */
    public INDArray parameter(String name) {
        return sd.getArrForVarName(name);
    }

    public int classes() {
        return classes;
    }

    /** The graph, for saving as an artifact. */
    SameDiff graph() {
        return sd;
    }
}
