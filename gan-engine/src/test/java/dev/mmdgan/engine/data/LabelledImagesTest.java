package dev.mmdgan.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.core.io.Sha256;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class LabelledImagesTest {

    @TempDir
    Path dir;

    @Test
    void readsBothSplitsWithTheirLabels() throws IOException {
        IdxFixtures.writeQuadrants(dir, 40, 12, 3, false);
        LabelledImages train = LabelledImages.read("mnist", dir, LabelledImages.Split.TRAIN, 0);
        LabelledImages test = LabelledImages.read("mnist", dir, LabelledImages.Split.TEST, 5);
        assertThat(train.size()).isEqualTo(40);
        assertThat(test.size()).isEqualTo(5);
        assertThat(train.images().shape()).containsExactly(40, 784);
        assertThat(train.classes()).isEqualTo(4);
        // The label is the quadrant holding the bright square: check it against the pixels with a plain loop.
        for (int i = 0; i < train.size(); i++) {
            double[] row = train.images().getRow(i).toDoubleVector();
            int brightest = -1;
            double best = -1e9;
            for (int k = 0; k < 4; k++) {
                int top = k / 2 == 0 ? 2 : 16;
                int left = k % 2 == 0 ? 2 : 16;
                double sum = 0;
                for (int r = top; r < top + 10; r++) {
                    for (int c = left; c < left + 10; c++) {
                        sum += row[r * 28 + c];
                    }
                }
                if (sum > best) {
                    best = sum;
                    brightest = k;
                }
            }
            assertThat(train.labels()[i]).isEqualTo(brightest);
        }
        assertThat(test.imagesSha256()).isEqualTo(Sha256.of(dir.resolve("t10k-images-idx3-ubyte.gz")));
        assertThat(LabelledImages.datasetSha256(dir)).isEqualTo(Datasets.load("mnist", dir, 0).sha256());
    }

    @Test
    void referenceSamplesAreTheTestSplitOrFreshMoons() throws IOException {
        IdxFixtures.writeQuadrants(dir, 20, 7, 4, false);
        INDArray ref = Datasets.referenceSamples("mnist", dir, DataOptions.DEFAULTS, 0, 9);
        assertThat(ref).isEqualTo(LabelledImages.read("mnist", dir, LabelledImages.Split.TEST, 0).images());
        assertThat(ref.getDouble(0, 0)).isBetween(-1.0, 1.0);
        INDArray moons = Datasets.referenceSamples("moons", null, DataOptions.DEFAULTS, 500, 9);
        assertThat(moons).isEqualTo(Moons.sample(500, DataOptions.DEFAULTS.moonsNoise(), 9));
    }

    @Test
    void refusesWrongOrShortLabelFiles() throws IOException {
        IdxFixtures.writeQuadrants(dir, 10, 10, 5, false);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("t10k-labels-idx1-ubyte")))) {
            out.writeInt(0x801);
            out.writeInt(3);
            out.write(new byte[] {1, 2, 3});
        }
        assertThatThrownBy(() -> LabelledImages.read("mnist", dir, LabelledImages.Split.TEST, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 labels, fewer than the 10 images");
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), List.of("not idx"));
        assertThatThrownBy(() -> LabelledImages.read("mnist", dir, LabelledImages.Split.TEST, 0))
                .hasMessageContaining("not an IDX label file");
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        assertThatThrownBy(() -> LabelledImages.read("mnist", dir, LabelledImages.Split.TEST, 0))
                .hasMessageContaining("t10k-labels-idx1-ubyte[.gz]");
        assertThat(LabelledImages.read("mnist", dir, LabelledImages.Split.TRAIN, 4).labels()).hasSize(4);
    }
}
