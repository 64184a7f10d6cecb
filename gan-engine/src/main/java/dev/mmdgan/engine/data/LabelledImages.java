package dev.mmdgan.engine.data;

import dev.mmdgan.core.io.Sha256;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One split of an IDX image data set (MNIST, Fashion-MNIST) with its class labels: what a feature network is trained
 * on ({@link Split#TRAIN}) and tested on ({@link Split#TEST}), and the real images a KID is computed against
 * (the test split, which no generator is trained on).
 *
 * @param dataset       the data set's name, e.g. {@code fashion-mnist}
 * @param split         which split
 * @param images        [n, rows·cols] float32 in [−1, 1], as {@link IdxImages#read} scales them
 * @param labels        n class labels
 * @param classes       number of classes (largest label + 1)
 * @param imagesSha256  SHA-256 of the image file
 * @param labelsSha256  SHA-256 of the label file
 */
public record LabelledImages(String dataset, Split split, INDArray images, int[] labels, int classes,
                             String imagesSha256, String labelsSha256) {

    /** The two splits MNIST-style data sets ship. */
    public enum Split {
        TRAIN(IdxImages.TRAIN_FILE, "train-labels-idx1-ubyte"),
        TEST(IdxImages.TEST_FILE, "t10k-labels-idx1-ubyte");

        private final String imageFile;
        private final String labelFile;

        Split(String imageFile, String labelFile) {
            this.imageFile = imageFile;
            this.labelFile = labelFile;
        }

        /** File stem of the images, e.g. {@code t10k-images-idx3-ubyte}. */
        public String imageFile() {
            return imageFile;
        }

        /** File stem of the labels, e.g. {@code t10k-labels-idx1-ubyte}. */
        public String labelFile() {
            return labelFile;
        }
    }

    private static final int MAGIC_UBYTE_1D = 0x00000801;

    public LabelledImages {
        if (images.rows() != labels.length) {
            throw new IllegalArgumentException(dataset + " " + split + ": " + images.rows() + " images but " + labels.length + " labels");
        }
        labels = labels.clone();
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    public int size() {
        return labels.length;
    }

    /**
     * Reads a split of an IDX data set folder ({@code mnist} or {@code fashion-mnist}; null dir: Debian's
     * Fashion-MNIST folder). {@code limit} caps the number of images (0 = all): the first ones of the file.
     */
    public static LabelledImages read(String dataset, Path dir, Split split, int limit) {
        Path folder = dir != null ? dir : IdxImages.FASHION_MNIST_DIR;
        Path imageFile = require(folder, split.imageFile(), dataset);
        Path labelFile = require(folder, split.labelFile(), dataset);
        INDArray images = IdxImages.read(imageFile, limit);
        int[] labels = readLabels(labelFile, (int) images.rows());
        int classes = 0;
        for (int l : labels) {
            classes = Math.max(classes, l + 1);
        }
        return new LabelledImages(dataset, split, images, labels, classes, Sha256.of(imageFile), Sha256.of(labelFile));
    }

    /**
     * The SHA-256 by which training runs name this data set ({@link Dataset#sha256()} of {@link IdxImages#dataset}:
     * the train and test image files in that order), so a feature network and a checkpoint can be matched.
     */
    public static String datasetSha256(Path dir) {
        Path folder = dir != null ? dir : IdxImages.FASHION_MNIST_DIR;
        return Sha256.of(List.of(require(folder, IdxImages.TRAIN_FILE, "data set"), require(folder, IdxImages.TEST_FILE, "data set")));
    }

    /** The first {@code count} labels of an IDX label file (magic 0x00000801). */
    static int[] readLabels(Path file, int count) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(file), 1 << 16))) {
            int magic = in.readInt();
            if (magic != MAGIC_UBYTE_1D) {
                throw new IllegalArgumentException(file + " is not an IDX label file (magic 0x" + Integer.toHexString(magic)
                        + ", expected 0x00000801)");
            }
            int n = in.readInt();
            if (n < count) {
                throw new IllegalArgumentException(file + " has " + n + " labels, fewer than the " + count + " images");
            }
            byte[] raw = new byte[count];
            in.readFully(raw);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + " is truncated");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static Path require(Path dir, String stem, String dataset) {
        Path p = IdxImages.locate(dir, stem);
        if (p == null) {
            throw new IllegalArgumentException(dataset + ": " + dir + " has no " + stem + "[.gz]");
        }
        return p;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
