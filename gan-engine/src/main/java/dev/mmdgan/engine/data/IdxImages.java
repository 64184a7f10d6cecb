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
import org.nd4j.linalg.factory.Nd4j;

/**
 * MNIST-style IDX image files (magic 0x00000803: unsigned bytes, [n, rows, cols]), plain or gzipped, read as
 * [n, rows·cols] float32 scaled from [0, 255] to [−1, 1].
 */
public final class IdxImages {

    /** Where Debian's {@code dataset-fashion-mnist} package puts its files. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private static final int MAGIC_UBYTE_3D = 0x00000803;

    /** The training split's file, {@code NAME} or {@code NAME.gz} in the data set's folder. */
    public static final String TRAIN_FILE = "train-images-idx3-ubyte";

    /** The held-out split's file, {@code NAME} or {@code NAME.gz} in the data set's folder. */
    public static final String TEST_FILE = "t10k-images-idx3-ubyte";

    private IdxImages() {
    }

    /** Reads one IDX image file; {@code limit} caps the number of images (0 = all). */
    public static INDArray read(Path file, int limit) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(file), 1 << 16))) {
            int[] shape = header(file, in);
            int n = shape[0];
            int rows = shape[1];
            int cols = shape[2];
            int count = limit > 0 ? Math.min(limit, n) : n;
            int pixels = rows * cols;
            byte[] raw = new byte[pixels];
            float[] values = new float[count * pixels];
            for (int i = 0; i < count; i++) {
                in.readFully(raw);
                for (int p = 0; p < pixels; p++) {
                    values[i * pixels + p] = (raw[p] & 0xff) / 127.5f - 1f;
                }
            }
            return Nd4j.create(values, new long[] {count, pixels}, 'c');
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + " is truncated: it ends before all the images its header announces");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** [images, rows, columns] from the header of an IDX image file, without reading the images. */
    public static int[] shape(Path file) {
        try (DataInputStream in = new DataInputStream(open(file))) {
            return header(file, in);
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + " is truncated: it ends inside its header");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static int[] header(Path file, DataInputStream in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC_UBYTE_3D) {
            throw new IllegalArgumentException(file + " is not an IDX image file (magic 0x" + Integer.toHexString(magic)
                    + ", expected 0x00000803: unsigned bytes, 3 dimensions)");
        }
        int n = in.readInt();
        int rows = in.readInt();
        int cols = in.readInt();
        if (n <= 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(file + " has an empty or negative shape " + n + "×" + rows + "×" + cols);
        }
        return new int[] {n, rows, cols};
    }

    /** The files {@link #dataset} needs in its folder, each plain or gzipped. */
    public static List<String> requiredFiles() {
        return List.of(TRAIN_FILE, TEST_FILE);
    }

    /** The file {@code stem} of {@link #requiredFiles()} in {@code dir}, gzipped or plain, or null if there is none. */
    public static Path locate(Path dir, String stem) {
        for (String suffix : List.of(".gz", "")) {
            Path p = dir.resolve(stem + suffix);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * A data set from a folder with {@code train-images-idx3-ubyte[.gz]} (training split) and
     * {@code t10k-images-idx3-ubyte[.gz]} (held out), as MNIST and Fashion-MNIST ship them.
     */
    public static Dataset dataset(String name, Path dir, String installHint) {
        Path train = find(dir, TRAIN_FILE, name, installHint);
        Path test = find(dir, TEST_FILE, name, installHint);
        INDArray trainImages = read(train, 0);
        long side = Math.round(Math.sqrt(trainImages.columns()));
        return new Dataset(name, name + "(" + train.getFileName() + " sha256=" + Sha256.of(train) + ")",
                Sha256.of(List.of(train, test)), trainImages, read(test, 0), new long[] {1, side, side});
    }

    private static Path find(Path dir, String stem, String name, String installHint) {
        Path p = locate(dir, stem);
        if (p != null) {
            return p;
        }
        throw new IllegalArgumentException("data set '" + name + "' not found: " + dir + " has no " + stem + "[.gz]; " + installHint);
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
