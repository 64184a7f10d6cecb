package dev.mmdgan.engine.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Tiny IDX data sets written by tests: 28×28 grey images whose class k (0–3) is a bright 10×10 square in quadrant k
 * over noise, with their labels, as MNIST-style files (images magic 0x803, labels 0x801).
 */
public final class IdxFixtures {

    private IdxFixtures() {
    }

    /** Writes train (n) and t10k (m) images and labels into {@code dir}; {@code randomLabels} breaks the label–image link. */
    public static void writeQuadrants(Path dir, int n, int m, long seed, boolean randomLabels) throws IOException {
        Random random = new Random(seed);
        write(dir, "train", n, random, randomLabels);
        write(dir, "t10k", m, random, randomLabels);
    }

    private static void write(Path dir, String split, int n, Random random, boolean randomLabels) throws IOException {
        byte[] pixels = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(4);
            labels[i] = (byte) (randomLabels ? random.nextInt(4) : k);
            int top = k / 2 == 0 ? 2 : 16;
            int left = k % 2 == 0 ? 2 : 16;
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    boolean on = r >= top && r < top + 10 && c >= left && c < left + 10;
                    pixels[i * 784 + r * 28 + c] = (byte) (on ? 200 + random.nextInt(56) : random.nextInt(60));
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(open(dir.resolve(split + "-images-idx3-ubyte.gz")))) {
            out.writeInt(0x803);
            out.writeInt(n);
            out.writeInt(28);
            out.writeInt(28);
            out.write(pixels);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(split + "-labels-idx1-ubyte")))) {
            out.writeInt(0x801);
            out.writeInt(n);
            out.write(labels);
        }
    }

    private static OutputStream open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return new GZIPOutputStream(Files.newOutputStream(file));
    }
}
