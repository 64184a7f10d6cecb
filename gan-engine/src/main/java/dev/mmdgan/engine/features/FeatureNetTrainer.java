package dev.mmdgan.engine.features;

import dev.mmdgan.engine.BuildInfo;
import dev.mmdgan.engine.data.LabelledImages;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains the standard feature network of an IDX data set ({@link ClassifierCnn} on the training split), measures
 * its accuracy on the test split and, if it reaches the minimum, writes the artifact ({@link FeatureNetworks#save}).
 */
public final class FeatureNetTrainer {

    /** What a training produced. */
    public record Result(FeatureNetManifest manifest, Path dir, double testAccuracy, int trainImages, int testImages,
                         double seconds) {
    }

    /** The trained classifier missed the required test accuracy; nothing was written. */
    public static final class BelowRequiredAccuracy extends IllegalStateException {
        BelowRequiredAccuracy(String message) {
            super(message);
        }
    }

    /** Batches between two loss measurements for the progress display (each costs a forward pass). */
    static final int LOSS_EVERY = 50;

    /** Batches between two forced garbage collections (see {@link #fit}). */
    static final int GC_EVERY = 10;

    private FeatureNetTrainer() {
    }

    /** Reads both splits, trains, tests and writes the artifact into {@code outDir}. */
    public static Result train(FeatureNetTrainingOptions options, Path outDir, TrainingProgress progress) {
        long t0 = System.nanoTime();
        LabelledImages train = LabelledImages.read(options.dataset(), options.dataDir(), LabelledImages.Split.TRAIN, options.trainLimit());
        LabelledImages test = LabelledImages.read(options.dataset(), options.dataDir(), LabelledImages.Split.TEST, options.testLimit());
        ClassifierCnn cnn = fit(train, options, progress);
        double accuracy = accuracy(cnn, test);
        if (accuracy < options.minAccuracy()) {
            throw new BelowRequiredAccuracy(String.format("the %s classifier reached %.4f test accuracy on %d images, below the"
                    + " required %.4f; nothing was written", options.dataset(), accuracy, test.size(), options.minAccuracy()));
        }
        long side = Math.round(Math.sqrt(train.images().columns()));
        FeatureNetManifest manifest = new FeatureNetManifest(FeatureNetworks.standardName(options.dataset()), FeatureNetworks.VERSION,
                FeatureNetManifest.FORMAT_SAMEDIFF, "trained", FeatureNetworks.GRAPH_FILE, "", ClassifierCnn.INPUT,
                ClassifierCnn.FEATURES, new long[] {1, side, side}, ClassifierCnn.FEATURE_DIM, 1, 0, options.dataset(),
                LabelledImages.datasetSha256(options.dataDir()), accuracy, BuildInfo.codeVersion(), BuildInfo.gitCommit());
        FeatureNetManifest written = FeatureNetworks.save(cnn.graph(), manifest, outDir);
        return new Result(written, outDir, accuracy, train.size(), test.size(), (System.nanoTime() - t0) / 1e9);
    }

    /** Trains a fresh classifier on {@code train} for {@code options.epochs()} shuffled passes. */
    public static ClassifierCnn fit(LabelledImages train, FeatureNetTrainingOptions options, TrainingProgress progress) {
        int n = train.size();
        int pixels = (int) train.images().columns();
        int side = (int) Math.round(Math.sqrt(pixels));
        if (side * side != pixels) {
            throw new IllegalArgumentException(train.dataset() + ": images of " + pixels + " pixels are not square");
        }
        ClassifierCnn cnn = ClassifierCnn.create(side, side, Math.max(train.classes(), 2), options.learningRate(), options.seed());
        // Batches are gathered in plain Java: libnd4j's gather ops leave OpenMP threads spinning (docs/stack-notes.md).
        float[] images = train.images().castTo(DataType.FLOAT).dup('c').data().asFloat();
        int[] labels = train.labels();
        int batch = Math.min(options.batchSize(), n);
        int batches = n / batch; // drop the ragged end: every step sees a full batch
        SplittableRandom random = new SplittableRandom(options.seed());
        int[] order = new int[n];
        double loss = Double.NaN;
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            float[] x = new float[batch * pixels];
            float[] y = new float[batch * cnn.classes()];
            for (int b = 0; b < batches; b++) {
                java.util.Arrays.fill(y, 0);
                for (int r = 0; r < batch; r++) {
                    int row = order[b * batch + r];
                    System.arraycopy(images, row * pixels, x, r * pixels, pixels);
                    y[r * cnn.classes() + labels[row]] = 1;
                }
                INDArray xb = Nd4j.create(x, new long[] {batch, 1, side, side}, 'c');
                INDArray yb = Nd4j.create(y, new long[] {batch, cnn.classes()}, 'c');
                if (b % LOSS_EVERY == 0) {
                    loss = cnn.loss(xb, yb); // before the step: the loss the step starts from
                }
                cnn.fitBatch(xb, yb);
                if ((b + 1) % GC_EVERY == 0) {
                    // SameDiff's fit makes a new training session per call whose arrays are freed only when the
                    // garbage collector finds them; with a small heap it rarely runs and native memory grew by
                    // ~30 MB/s (measured) until the kernel killed the process. A collection every few batches
                    // frees them; it costs far less than one batch.
                    System.gc();
                }
                progress.update(epoch, options.epochs(), b + 1, batches, loss);
            }
        }
        return cnn;
    }

    /** The share of {@code test} whose largest logit is at its label. */
    public static double accuracy(ClassifierCnn cnn, LabelledImages test) {
        int n = test.size();
        int pixels = (int) test.images().columns();
        int side = (int) Math.round(Math.sqrt(pixels));
        int[] predicted = new int[n];
        int chunk = 1000;
        for (int from = 0; from < n; from += chunk) {
            int count = Math.min(chunk, n - from);
            INDArray x = test.images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + count),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c').reshape('c', count, 1, side, side);
            int[] p = argmaxRows(cnn.logits(x));
            System.arraycopy(p, 0, predicted, from, count);
        }
        return accuracy(predicted, test.labels());
    }

    /** Index of each row's largest value (the first on ties). */
    public static int[] argmaxRows(INDArray scores) {
        float[][] m = scores.castTo(DataType.FLOAT).toFloatMatrix();
        int[] out = new int[m.length];
        for (int i = 0; i < m.length; i++) {
            int best = 0;
            for (int j = 1; j < m[i].length; j++) {
                if (m[i][j] > m[i][best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Share of positions where the two agree. */
    public static double accuracy(int[] predicted, int[] labels) {
        if (predicted.length != labels.length || labels.length == 0) {
            throw new IllegalArgumentException("need as many predictions as labels (≥ 1), got " + predicted.length + " and " + labels.length);
        }
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                right++;
            }
        }
        return (double) right / labels.length;
    }
}
