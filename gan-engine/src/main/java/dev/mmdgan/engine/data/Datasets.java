package dev.mmdgan.engine.data;

import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.core.io.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Loads data sets by name. */
public final class Datasets {

    /** Data sets this engine reads today. */
    public static final List<String> NAMES = List.of("moons", "fashion-mnist", "mnist", "cifar10", "npy");

    /** Size of the generated moons training set. */
    public static final int MOONS_POINTS = 10_000;

    /** Fewest rows an {@code npy} file may have (part of them is held out). */
    public static final int NPY_MIN_ROWS = 20;

    private Datasets() {
    }

    /**
     * @param path a .npy file of shape [n, d] or [n, C, H, W] for {@code npy} (its last 10% is held out); the IDX folder for {@code mnist} and,
     *             optionally, {@code fashion-mnist} (default: Debian's package folder); unused by {@code moons}
     * @param seed seed for generated data
     */
    public static Dataset load(String name, Path path, long seed) {
        return load(name, path, seed, DataOptions.DEFAULTS);
    }

    /** As {@link #load(String, Path, long)}, with the holdout share and the moons' size and noise of {@code options}. */
    public static Dataset load(String name, Path path, long seed, DataOptions options) {
        return switch (name) {
            case "moons" -> Moons.dataset(options.moonsPoints(), options.moonsNoise(), seed,
                    Math.toIntExact(options.holdoutRows(options.moonsPoints())));
            case "npy" -> npy(path, options);
            case "cifar10" -> Cifar10.dataset(path);
            case "fashion-mnist" -> IdxImages.dataset(name, path != null ? path : IdxImages.FASHION_MNIST_DIR,
                    "install it with: sudo apt-get install dataset-fashion-mnist (or give --data DIR with the IDX files)");
            case "mnist" -> {
                if (path == null) {
                    throw new IllegalArgumentException("data set 'mnist' needs the folder with its IDX files: give --data DIR");
                }
                yield IdxImages.dataset(name, path, "download the MNIST IDX files into " + path);
            }
            default -> throw new IllegalArgumentException("unknown data set '" + name + "'; allowed: " + String.join(", ", NAMES));
        };
    }

    /**
     * Whether the files {@link #load} reads for this data set are there (generated data sets always are), so that a
     * caller that can do without the data (e.g. drawing samples) knows before trying to load it.
     */
    public static boolean available(String name, Path path) {
        return switch (name) {
            case "moons" -> true;
            case "npy" -> path != null && Files.isRegularFile(path);
            case "cifar10" -> path != null && Cifar10.requiredFiles().stream().allMatch(f -> Files.isRegularFile(path.resolve(f)));
            case "fashion-mnist", "mnist" -> {
                Path dir = path != null ? path : name.equals("fashion-mnist") ? IdxImages.FASHION_MNIST_DIR : null;
                yield dir != null && IdxImages.requiredFiles().stream().allMatch(f -> IdxImages.locate(dir, f) != null);
            }
            default -> false;
        };
    }

    /**
     * The shape of one sample of a data set, without loading it (for checks before a run starts): [2] for moons,
     * [1, 28, 28] for the IDX sets, [3, 32, 32] for CIFAR-10, and the .npy file's own shape without its first
     * dimension for {@code npy} ([d] for a file [n, d], [C, H, W] for images [n, C, H, W]).
     */
    public static long[] sampleShape(String name, Path path) {
        return switch (name) {
            case "moons" -> new long[] {2};
            case "fashion-mnist", "mnist" -> new long[] {1, 28, 28};
            case "cifar10" -> new long[] {3, 32, 32};
            case "npy" -> {
                if (path == null) {
                    throw new IllegalArgumentException("data set 'npy' needs a file: give --data FILE.npy");
                }
                long[] shape = NpyArrays.arrayShape(path);
                requireNpyRank(path, shape);
                yield java.util.Arrays.copyOfRange(shape, 1, shape.length);
            }
            default -> throw new IllegalArgumentException("unknown data set '" + name + "'; allowed: " + String.join(", ", NAMES));
        };
    }

    /**
     * Real samples a generator of this data set is evaluated against, never trained on: the test split of the IDX
     * sets (its first {@code n} images, all 10,000 for n ≤ 0), {@code n} fresh moons points drawn with {@code seed}
     * (use a seed other than the run's), or the held-out rows of the other data sets (the first {@code n}). Rows of
     * [n, features] in the scale the generator produces ([−1, 1] for images).
     */
    public static INDArray referenceSamples(String name, Path path, DataOptions options, int n, long seed) {
        return switch (name) {
            case "moons" -> Moons.sample(n > 0 ? n : options.moonsPoints(), options.moonsNoise(), seed);
            case "fashion-mnist", "mnist" -> {
                Path dir = path != null ? path : name.equals("fashion-mnist") ? IdxImages.FASHION_MNIST_DIR : null;
                if (dir == null) {
                    throw new IllegalArgumentException("data set 'mnist' needs the folder with its IDX files");
                }
                Path test = IdxImages.locate(dir, IdxImages.TEST_FILE);
                if (test == null) {
                    throw new IllegalArgumentException("data set '" + name + "': " + dir + " has no " + IdxImages.TEST_FILE + "[.gz]");
                }
                yield IdxImages.read(test, Math.max(n, 0));
            }
            default -> {
                INDArray holdout = load(name, path, seed, options).holdout();
                yield n > 0 && n < holdout.rows() ? holdout.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup() : holdout;
            }
        };
    }

    /** [n, d] vectors, or [n, C, H, W] images (kept as rows of C·H·W values). */
    private static void requireNpyRank(Path path, long[] shape) {
        if (shape.length != 2 && shape.length != 4) {
            throw new IllegalArgumentException(path + " has shape " + java.util.Arrays.toString(shape)
                    + "; expected [n, features] or [n, channels, height, width]");
        }
    }

    private static Dataset npy(Path path, DataOptions options) {
        if (path == null) {
            throw new IllegalArgumentException("data set 'npy' needs a file: give --data FILE.npy");
        }
        INDArray read = NpyArrays.readArray(path).castTo(DataType.FLOAT);
        requireNpyRank(path, read.shape());
        long[] sampleShape = java.util.Arrays.copyOfRange(read.shape(), 1, read.rank());
        INDArray all = read.reshape('c', read.size(0), read.length() / read.size(0));
        long n = all.rows();
        if (n < NPY_MIN_ROWS) {
            throw new IllegalArgumentException(path + " has " + n + " rows; at least " + NPY_MIN_ROWS
                    + " are needed (part of them is held out)");
        }
        long split = n - options.holdoutRows(n);
        String sha256 = Sha256.of(path);
        return new Dataset("npy", "npy(" + path.getFileName() + ", sha256=" + sha256 + ")", sha256,
                all.get(NDArrayIndex.interval(0, split), NDArrayIndex.all()).dup(),
                all.get(NDArrayIndex.interval(split, n), NDArrayIndex.all()).dup(), sampleShape);
    }
}
