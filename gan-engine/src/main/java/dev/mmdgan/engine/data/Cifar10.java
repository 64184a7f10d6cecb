package dev.mmdgan.engine.data;

import dev.mmdgan.core.io.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CIFAR-10 in its binary form ({@code data_batch_1.bin} … {@code data_batch_5.bin}, {@code test_batch.bin}): records
 * of one label byte and 3072 pixel bytes (1024 red, 1024 green, 1024 blue, row-major 32×32), read as
 * [n, 3·32·32] float32 in CHW order scaled to [−1, 1]. The test batch is held out.
 */
public final class Cifar10 {

    static final int PIXELS = 3 * 32 * 32;
    private static final int RECORD = 1 + PIXELS;

    private static final List<String> TRAIN_FILES =
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    private static final String TEST_FILE = "test_batch.bin";

    private Cifar10() {
    }

    /** The files {@link #dataset} needs in its folder: the five training batches, then the test batch. */
    public static List<String> requiredFiles() {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.add(TEST_FILE);
        return List.copyOf(all);
    }

    /** Checks, from its size alone, that {@code file} holds whole CIFAR-10 records; returns how many. */
    public static long records(Path file) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return wholeRecords(file, bytes);
    }

    private static long wholeRecords(Path f, long bytes) {
        if (bytes == 0 || bytes % RECORD != 0) {
            throw new IllegalArgumentException(f + " has " + bytes + " bytes, not a whole number of "
                    + RECORD + "-byte CIFAR-10 records (truncated or not the binary version)");
        }
        return bytes / RECORD;
    }

    public static Dataset dataset(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("data set 'cifar10' needs the folder with data_batch_1.bin … test_batch.bin: give --data DIR");
        }
        List<Path> train = new ArrayList<>();
        for (String f : TRAIN_FILES) {
            train.add(require(dir.resolve(f)));
        }
        Path test = require(dir.resolve(TEST_FILE));
        List<Path> all = new ArrayList<>(train);
        all.add(test);
        return new Dataset("cifar10", "cifar10(data_batch_1.bin sha256=" + Sha256.of(train.get(0)) + ")", Sha256.of(all),
                read(train), read(List.of(test)), new long[] {3, 32, 32});
    }

    static INDArray read(List<Path> files) {
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        for (Path f : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(f);
            } catch (IOException e) {
                throw new IllegalArgumentException(f + ": cannot read (" + e.getMessage() + ")");
            }
            records += wholeRecords(f, bytes.length);
            contents.add(bytes);
        }
        float[] values = new float[(int) (records * PIXELS)];
        int row = 0;
        for (byte[] bytes : contents) {
            for (int r = 0; r < bytes.length / RECORD; r++, row++) {
                for (int p = 0; p < PIXELS; p++) {
                    values[row * PIXELS + p] = (bytes[r * RECORD + 1 + p] & 0xff) / 127.5f - 1f;
                }
            }
        }
        return Nd4j.create(values, new long[] {records, PIXELS}, 'c');
    }

    private static Path require(Path f) {
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("data set 'cifar10' not found: " + f + " is missing (the binary version of"
                    + " CIFAR-10 has data_batch_1.bin … data_batch_5.bin and test_batch.bin)");
        }
        return f;
    }
}
