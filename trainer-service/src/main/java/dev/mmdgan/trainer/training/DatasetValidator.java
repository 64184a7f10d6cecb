package dev.mmdgan.trainer.training;

import static dev.mmdgan.trainer.training.Checks.finite;
import static dev.mmdgan.trainer.training.Checks.notApplicable;
import static dev.mmdgan.trainer.training.Checks.quote;
import static dev.mmdgan.trainer.training.Checks.require;

import dev.mmdgan.api.v1.DatasetSpec;
import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.engine.data.Cifar10;
import dev.mmdgan.engine.data.DataOptions;
import dev.mmdgan.engine.data.Datasets;
import dev.mmdgan.engine.data.IdxImages;
import dev.mmdgan.engine.train.RunDefaults;
import dev.mmdgan.trainer.training.RunConfigValidator.InvalidRunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Checks {@code config.dataset} before a run starts: the name, that a named file or folder lies under the data roots
 * and holds what the loader needs (files present, a readable .npy header, enough rows, finite values), and the
 * holdout share and moons settings. Nothing is loaded into ND4J; a .npy file's values are streamed.
 */
final class DatasetValidator {

    static final int MAX_PATH_LENGTH = 4096;
    static final long MAX_MOONS_POINTS = 10_000_000;
    /** Pixels per side of the IDX data sets, as {@link Datasets#sampleShape} promises. */
    private static final int IDX_SIDE = 28;

    private DatasetValidator() {
    }

    /**
     * A data set that passed the checks of {@link #check}.
     *
     * @param path        the real location of the file or folder (links resolved), or null for moons and the
     *                    default fashion-mnist folder
     * @param quotedPath  the user's path as messages quote it
     * @param sampleShape the shape of one sample
     * @param rows        rows of an npy file, else 0
     */
    record Checked(String name, Path path, String quotedPath, long[] sampleShape, long rows) {
    }

    /** Name, location and format; the checks that need the batch size come with {@link #options}. */
    static Checked check(DatasetSpec d, DataRoots roots) {
        String name = d.getName();
        String allowed = String.join(", ", Datasets.NAMES);
        require(!name.isEmpty(), "config.dataset.name is required; allowed: " + allowed);
        require(Datasets.NAMES.contains(name), "config.dataset.name: unknown data set '" + quote(name) + "'; allowed: " + allowed);
        require(d.getPath().length() <= MAX_PATH_LENGTH,
                "config.dataset.path must be at most " + MAX_PATH_LENGTH + " characters, got " + d.getPath().length());
        String quoted = quote(d.getPath());
        return switch (name) {
            case "moons" -> {
                notApplicable(!d.getPath().isEmpty(), "config.dataset.path", "data set moons, which is generated");
                yield new Checked(name, null, "", Datasets.sampleShape(name, null), 0);
            }
            case "npy" -> npy(d, roots, quoted);
            default -> new Checked(name, folder(name, d, roots, quoted), quoted, Datasets.sampleShape(name, null), 0);
        };
    }

    private static Checked npy(DatasetSpec d, DataRoots roots, String quoted) {
        require(!d.getPath().isEmpty(), "config.dataset.path is required for data set npy (a .npy file on the trainer's disk)");
        Path file = roots.resolve(d.getPath());
        require(Files.isRegularFile(file), "config.dataset.path: no such file on the trainer: " + quoted);
        long[] shape = readable(() -> NpyArrays.arrayShape(file), file, "the file", ": " + quoted);
        require(shape.length == 2 || shape.length == 4, "config.dataset.path: the file has shape " + Arrays.toString(shape)
                + "; expected [n, features] or [n, channels, height, width]: " + quoted);
        long[] sample = readable(() -> Datasets.sampleShape("npy", file), file, "the file", ": " + quoted);
        return new Checked("npy", file, quoted, sample, shape[0]);
    }

    /** The folder of mnist, fashion-mnist or cifar10, checked to hold the files their loaders read. */
    private static Path folder(String name, DatasetSpec d, DataRoots roots, String quoted) {
        if (d.getPath().isEmpty()) {
            require(name.equals("fashion-mnist"), "config.dataset.path is required for data set " + name + " (its folder on the trainer)");
            // Not user-given, so not confined: the operator installs it (Debian's dataset-fashion-mnist).
            Path dir = IdxImages.FASHION_MNIST_DIR;
            idxFiles(name, dir, "config.dataset.path is unset, and the default folder " + dir + " has no ",
                    " (install dataset-fashion-mnist on the trainer, or give a folder)");
            return null;
        }
        Path dir = roots.resolve(d.getPath());
        require(Files.isDirectory(dir), "config.dataset.path: no such folder on the trainer: " + quoted);
        if (name.equals("cifar10")) {
            cifarFiles(dir, quoted);
        } else {
            idxFiles(name, dir, "config.dataset.path: the folder has no ", ": " + quoted);
        }
        return dir;
    }

    private static void idxFiles(String name, Path dir, String missingPrefix, String suffix) {
        String needs = String.join(" and ", IdxImages.requiredFiles().stream().map(f -> f + "[.gz]").toList());
        for (String stem : IdxImages.requiredFiles()) {
            Path file = IdxImages.locate(dir, stem);
            require(file != null, missingPrefix + stem + "[.gz]; " + name + " needs " + needs + suffix);
            int[] shape = readable(() -> IdxImages.shape(file), file, "the folder's " + file.getFileName(), suffix);
            require(shape[1] == IDX_SIDE && shape[2] == IDX_SIDE, "config.dataset.path: the folder's " + file.getFileName()
                    + " holds " + shape[1] + "×" + shape[2] + " images; " + name + " needs " + IDX_SIDE + "×" + IDX_SIDE + suffix);
        }
    }

    private static void cifarFiles(Path dir, String quoted) {
        for (String f : Cifar10.requiredFiles()) {
            Path file = dir.resolve(f);
            require(Files.isRegularFile(file), "config.dataset.path: the folder has no " + f + "; cifar10 needs "
                    + String.join(", ", Cifar10.requiredFiles()) + " (the binary version): " + quoted);
            readable(() -> Cifar10.records(file), file, "the folder's " + f, ": " + quoted);
        }
    }

    /**
     * The holdout share and moons settings, checked against the batch size; for npy also that enough rows are left
     * for training.
     */
    static DataOptions options(DatasetSpec d, Checked data, int batch) {
        String name = data.name();
        boolean moons = name.equals("moons");
        double holdout = d.hasHoldoutFraction() ? d.getHoldoutFraction() : RunDefaults.DATA.holdoutFraction();
        finite("config.dataset.holdout_fraction", holdout, holdout > 0 && holdout <= 0.5, "in (0, 0.5]");
        notApplicable(d.hasHoldoutFraction() && !moons && !name.equals("npy"), "config.dataset.holdout_fraction",
                "data set " + name + ", which holds out its own test files");
        long points = d.hasMoonsPoints() ? d.getMoonsPoints() : RunDefaults.DATA.moonsPoints();
        // Two batches at least: a batch is drawn from the training points, and fewer make a meaningless run.
        require(points >= 2L * batch && points <= MAX_MOONS_POINTS, "config.dataset.moons_points must be in [" + 2L * batch
                + ", " + MAX_MOONS_POINTS + "] (at least 2 × batch_size), got " + points);
        notApplicable(d.hasMoonsPoints() && !moons, "config.dataset.moons_points", "data set " + name);
        double noise = d.hasMoonsNoise() ? d.getMoonsNoise() : RunDefaults.DATA.moonsNoise();
        finite("config.dataset.moons_noise", noise, noise >= 0, "finite and ≥ 0");
        notApplicable(d.hasMoonsNoise() && !moons, "config.dataset.moons_noise", "data set " + name);
        DataOptions options = new DataOptions(holdout, (int) points, noise);
        if (name.equals("npy")) {
            enoughRows(data, options, batch);
        }
        return options;
    }

    private static void enoughRows(Checked data, DataOptions options, int batch) {
        long n = data.rows();
        require(n >= Datasets.NPY_MIN_ROWS, "config.dataset.path: the file has " + n + " rows; at least "
                + Datasets.NPY_MIN_ROWS + " are needed: " + data.quotedPath());
        long held = options.holdoutRows(n);
        require(n - held >= batch, "config.dataset.path: the file has " + n + " rows, " + held + " of them held out (holdout_fraction "
                + options.holdoutFraction() + "), which leaves " + (n - held) + " for training; batch_size " + batch
                + " needs at least " + batch + ": " + data.quotedPath());
    }

    /** The one check that reads all of the data, so it comes last: an npy file's values must all be finite. */
    static void scanValues(Checked data) {
        if (data.name().equals("npy")) {
            readable(() -> {
                NpyArrays.requireFinite(data.path());
                return null;
            }, data.path(), "the file", ": " + data.quotedPath());
        }
    }

    /**
     * Runs a loader's check of {@code file}, turning its complaint ("FILE what") into a refusal that names the field,
     * {@code subject} for the file and the user's path, never the resolved one.
     */
    private static <T> T readable(Supplier<T> check, Path file, String subject, String suffix) {
        try {
            return check.get();
        } catch (InvalidRunConfig e) {
            throw e;
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            String what = message.startsWith(file.toString()) ? message.substring(file.toString().length()) : " " + message;
            throw new InvalidRunConfig("config.dataset.path: " + subject + what.replace(file.toString(), "the file") + suffix);
        }
    }
}
