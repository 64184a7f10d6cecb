package dev.mmdgan.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class DataTest {

    @TempDir
    Path dir;

    @Test
    void moonsAreTwoInterleavedHalfCirclesWithTheRequestedNoise() {
        INDArray m = Moons.sample(2000, 0.0, 1);
        // Without noise every point lies on one of the two unit half circles.
        for (int i = 0; i < 2000; i++) {
            double x = m.getDouble(i, 0);
            double y = m.getDouble(i, 1);
            double outer = Math.hypot(x, y);
            double inner = Math.hypot(x - 1, y - 0.5);
            assertThat(Math.min(Math.abs(outer - 1), Math.abs(inner - 1))).isLessThan(1e-5);
        }
        INDArray noisy = Moons.sample(2000, 0.1, 1);
        double sq = noisy.sub(m).norm2Number().doubleValue();
        assertThat(Math.sqrt(sq * sq / 4000)).isCloseTo(0.1, within(0.01));
        assertThat(Moons.sample(10, 0.1, 3)).isEqualTo(Moons.sample(10, 0.1, 3));
    }

    @Test
    void readsGzippedIdxImagesScaledToMinusOneOne() throws IOException {
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), 3, new int[] {0, 255, 51, 102}, true);
        writeIdx(dir.resolve("t10k-images-idx3-ubyte"), 1, new int[] {255, 0, 0, 0}, false);
        Dataset d = Datasets.load("mnist", dir, 0);
        assertThat(d.train().shape()).containsExactly(3, 4);
        assertThat(d.holdout().shape()).containsExactly(1, 4);
        assertThat(d.sampleShape()).containsExactly(1, 2, 2);
        assertThat(d.train().getRow(0).toDoubleVector()).containsExactly(new double[] {-1, 1, -0.6, -0.2}, within(1e-6));
        assertThat(d.identity()).startsWith("mnist(train-images-idx3-ubyte.gz sha256=");
        // One hash of both files read, in reading order: what `cat train test | sha256sum` prints.
        assertThat(d.sha256()).isEqualTo(sha256(Files.readAllBytes(dir.resolve("train-images-idx3-ubyte.gz")),
                Files.readAllBytes(dir.resolve("t10k-images-idx3-ubyte"))));
        assertThat(Datasets.available("mnist", dir)).isTrue();
        assertThat(Datasets.available("mnist", dir.resolve("elsewhere"))).isFalse();
    }

    @Test
    void datasetHashesCoverTheFilesReadOrTheGeneratingParameters() throws IOException {
        Dataset moons = Moons.dataset(200, 0.1, 1);
        assertThat(moons.sha256()).isEqualTo(sha256("moons(n=200, noise=0.1, seed=1, holdout=20)".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isNotEqualTo(Moons.dataset(200, 0.1, 2).sha256()).isNotEqualTo(Moons.dataset(200, 0.1, 1, 30).sha256());
        assertThat(Datasets.available("moons", null)).isTrue();

        Path npy = dir.resolve("points.npy");
        dev.mmdgan.core.io.NpyArrays.write(npy, Moons.sample(40, 0.1, 1));
        Dataset fromFile = Datasets.load("npy", npy, 0);
        assertThat(fromFile.sha256()).isEqualTo(sha256(Files.readAllBytes(npy)));
        assertThat(fromFile.identity()).contains("sha256=" + fromFile.sha256());
        assertThat(Datasets.available("npy", npy)).isTrue();
        Files.delete(npy);
        assertThat(Datasets.available("npy", npy)).isFalse();
    }

    private static String sha256(byte[]... parts) {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void missingOrDamagedIdxFilesAreClearErrors() throws IOException {
        assertThatThrownBy(() -> Datasets.load("fashion-mnist", dir, 0))
                .hasMessageContaining("has no train-images-idx3-ubyte[.gz]; install it with: sudo apt-get install dataset-fashion-mnist");
        assertThatThrownBy(() -> Datasets.load("mnist", null, 0)).hasMessageContaining("give --data DIR");
        writeIdx(dir.resolve("train-images-idx3-ubyte"), 5, new int[] {1, 2, 3, 4}, false);
        byte[] bytes = Files.readAllBytes(dir.resolve("train-images-idx3-ubyte"));
        Files.write(dir.resolve("train-images-idx3-ubyte"), java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> IdxImages.read(dir.resolve("train-images-idx3-ubyte"), 0)).hasMessageContaining("is truncated");
        Files.writeString(dir.resolve("bogus"), "not idx at all");
        assertThatThrownBy(() -> IdxImages.read(dir.resolve("bogus"), 0)).hasMessageContaining("is not an IDX image file");
    }

    @Test
    void readsCifar10BinaryBatchesInChwOrderAndChecksTheirSize() throws IOException {
        for (String name : new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin"}) {
            byte[] records = new byte[2 * (1 + Cifar10.PIXELS)];
            records[0] = 7;                          // label of the first record
            records[1] = (byte) 255;                 // its first red pixel
            records[1 + 1024] = (byte) 0;            // its first green pixel
            records[1 + Cifar10.PIXELS] = 3;         // label of the second record
            Files.write(dir.resolve(name), records);
        }
        Dataset d = Datasets.load("cifar10", dir, 0);
        assertThat(d.train().shape()).containsExactly(10, 3072);
        assertThat(d.holdout().shape()).containsExactly(2, 3072);
        assertThat(d.sampleShape()).containsExactly(3, 32, 32);
        assertThat(d.train().getDouble(0, 0)).isEqualTo(1.0);
        assertThat(d.train().getDouble(0, 1024)).isEqualTo(-1.0);

        Files.write(dir.resolve("test_batch.bin"), new byte[100]);
        assertThatThrownBy(() -> Datasets.load("cifar10", dir, 0)).hasMessageContaining("not a whole number of 3073-byte CIFAR-10 records");
        Files.delete(dir.resolve("data_batch_3.bin"));
        assertThatThrownBy(() -> Datasets.load("cifar10", dir, 0)).hasMessageContaining("data_batch_3.bin is missing");
    }

    /** n 2×2 images, each with the given four pixel values. */
    private static void writeIdx(Path file, int n, int[] pixels, boolean gzip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(gzip ? new GZIPOutputStream(raw) : raw)) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(2);
            out.writeInt(2);
            for (int i = 0; i < n; i++) {
                for (int p : pixels) {
                    out.writeByte(p);
                }
            }
        }
    }
}
