package dev.mmdgan.engine.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.kid.KidReference;
import dev.mmdgan.engine.data.IdxFixtures;
import dev.mmdgan.engine.data.LabelledImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The classifier, its artifact and the KID evaluator, on a tiny synthetic data set (4 classes, 1 epoch). */
class FeatureNetworkTest {

    @TempDir
    static Path data;

    static LabelledImages train;
    static LabelledImages test;
    static ClassifierCnn cnn;

    @BeforeAll
    static void trainTinyClassifier() throws IOException {
        IdxFixtures.writeQuadrants(data, 192, 64, 1, false);
        train = LabelledImages.read("mnist", data, LabelledImages.Split.TRAIN, 0);
        test = LabelledImages.read("mnist", data, LabelledImages.Split.TEST, 0);
        cnn = FeatureNetTrainer.fit(train, new FeatureNetTrainingOptions("mnist", data, 2, 32, 1e-3, 7, 0, 0, 0), TrainingProgress.NONE);
    }

    @Test
    void accuracyIsTheShareOfArgmaxHitsCountedImageByImage() {
        int right = 0;
        for (int i = 0; i < test.size(); i++) {
            INDArray logits = cnn.logits(test.images().getRow(i).dup().reshape(1, 1, 28, 28));
            int best = 0;
            for (int k = 1; k < logits.columns(); k++) {
                if (logits.getDouble(0, k) > logits.getDouble(0, best)) {
                    best = k;
                }
            }
            right += best == test.labels()[i] ? 1 : 0;
        }
        assertThat(FeatureNetTrainer.accuracy(cnn, test)).isEqualTo((double) right / test.size());
        // The quadrant task is easy: twelve Adam steps are far above chance (0.25).
        assertThat(FeatureNetTrainer.accuracy(cnn, test)).isGreaterThan(0.6);
        assertThat(FeatureNetTrainer.accuracy(new int[] {1, 2, 3, 0}, new int[] {1, 2, 0, 0})).isEqualTo(0.75);
        assertThat(FeatureNetTrainer.argmaxRows(Nd4j.createFromArray(new float[][] {{0, 2, 2}, {5, -1, 4}}))).containsExactly(1, 0);
    }

    @Test
    void featuresAreThePenultimateLayerComputedByPlainLoops() {
        INDArray images = test.images().get(NDArrayIndex.interval(0, 3), NDArrayIndex.all()).dup();
        INDArray features = cnn.features(images.reshape(3, 1, 28, 28));
        assertThat(features.shape()).containsExactly(3, ClassifierCnn.FEATURE_DIM);
        for (int i = 0; i < 3; i++) {
            float[] expected = PlainCnn.features(cnn, images.getRow(i).toFloatVector());
            float[] actual = features.getRow(i).toFloatVector();
            for (int j = 0; j < expected.length; j++) {
                assertThat((double) actual[j]).isCloseTo(expected[j], within(1e-4 * (1 + Math.abs(expected[j]))));
            }
        }
    }

    @Test
    void artifactRoundTripKeepsFeaturesAndProvenance(@TempDir Path out) {
        FeatureNetManifest manifest = new FeatureNetManifest("mnist-cnn", "v1", FeatureNetManifest.FORMAT_SAMEDIFF, "trained",
                FeatureNetworks.GRAPH_FILE, "", ClassifierCnn.INPUT, ClassifierCnn.FEATURES, new long[] {1, 28, 28},
                ClassifierCnn.FEATURE_DIM, 1, 0, "mnist", "abc", 0.5, "1.0", "deadbeef");
        FeatureNetManifest written = FeatureNetworks.save(cnn.graph(), manifest, out);
        try (GraphFeatureNetwork net = FeatureNetworks.load(out)) {
            assertThat(net.name()).isEqualTo("mnist-cnn-v1");
            assertThat(net.kidLabel()).isEqualTo("kid@mnist-cnn-v1");
            assertThat(net.featureDim()).isEqualTo(128);
            assertThat(net.manifest()).usingRecursiveComparison().isEqualTo(written);
            assertThat(net.manifest().graphSha256()).hasSize(64);
            // Rows or images, any count (not a multiple of the call size): the classifier's own features.
            INDArray rows = test.images();
            INDArray embedded = net.embed(rows);
            INDArray direct = cnn.features(rows.reshape(rows.rows(), 1, 28, 28));
            assertThat(embedded.sub(direct).amaxNumber().doubleValue()).isLessThan(1e-5);
            // Deterministic, and a row's features do not depend on the rows embedded with it.
            assertThat(net.embed(rows)).isEqualTo(embedded);
            assertThat(net.embed(rows.get(NDArrayIndex.interval(5, 8), NDArrayIndex.all()).reshape(3, 1, 28, 28)))
                    .isEqualTo(embedded.get(NDArrayIndex.interval(5, 8), NDArrayIndex.all()));
            assertThatThrownBy(() -> net.embed(Nd4j.zeros(DataType.FLOAT, 2, 10)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 28, 28]");
        }
    }

    @Test
    void inputScalingIsAppliedBeforeTheGraph(@TempDir Path out) {
        FeatureNetManifest manifest = new FeatureNetManifest("scaled", "v2", FeatureNetManifest.FORMAT_SAMEDIFF, "trained",
                FeatureNetworks.GRAPH_FILE, "", ClassifierCnn.INPUT, ClassifierCnn.FEATURES, new long[] {1, 28, 28},
                ClassifierCnn.FEATURE_DIM, 0.5, 0.5, "mnist", "abc", Double.NaN, "1.0", "x");
        FeatureNetworks.save(cnn.graph(), manifest, out);
        INDArray x = test.images().get(NDArrayIndex.interval(0, 4), NDArrayIndex.all()).dup();
        try (GraphFeatureNetwork net = FeatureNetworks.load(out)) {
            INDArray expected = cnn.features(x.mul(0.5).add(0.5).reshape(4, 1, 28, 28));
            assertThat(net.embed(x).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);
            assertThat(Double.isNaN(net.manifest().testAccuracy())).isTrue();
        }
    }

    @Test
    void refusesAlteredOrIncompleteArtifacts(@TempDir Path out) throws IOException {
        FeatureNetManifest manifest = new FeatureNetManifest("mnist-cnn", "v1", FeatureNetManifest.FORMAT_SAMEDIFF, "trained",
                FeatureNetworks.GRAPH_FILE, "", ClassifierCnn.INPUT, ClassifierCnn.FEATURES, new long[] {1, 28, 28},
                ClassifierCnn.FEATURE_DIM, 1, 0, "mnist", "abc", 0.5, "1.0", "x");
        FeatureNetworks.save(cnn.graph(), manifest, out);
        assertThatThrownBy(() -> FeatureNetworks.forSamples(new long[] {3, 32, 32}, out))
                .hasMessageContaining("takes samples of shape [1, 28, 28], not [3, 32, 32]");
        assertThat(FeatureNetworks.forSamples(new long[] {2}, null)).isInstanceOf(RawFeatures.class);
        Files.write(out.resolve(FeatureNetworks.GRAPH_FILE), new byte[] {1}, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> FeatureNetworks.load(out)).hasMessageContaining("does not match its SHA-256");
        Files.delete(out.resolve(FeatureNetManifest.FILE));
        assertThatThrownBy(() -> FeatureNetworks.load(out)).hasMessageContaining("feature-net.properties is missing");
        assertThatThrownBy(() -> FeatureNetworks.standardName("cifar10")).hasMessageContaining("allowed: fashion-mnist, mnist");
        assertThat(FeatureNetworks.standardId("fashion-mnist")).isEqualTo("fashion-mnist-cnn-v1");
        assertThat(FeatureNetworks.storePrefix("fashion-mnist-cnn", "v1")).isEqualTo("feature-nets/fashion-mnist-cnn/v1/");
    }

    @Test
    void trainerWritesTheArtifactOnlyAboveTheMinimumAccuracy(@TempDir Path out, @TempDir Path noise) throws IOException {
        FeatureNetTrainingOptions tiny = new FeatureNetTrainingOptions("mnist", data, 1, 32, 1e-3, 3, 128, 32, 0);
        int[] calls = new int[1];
        FeatureNetTrainer.Result r = FeatureNetTrainer.train(tiny, out.resolve("net"), (e, es, b, bs, loss) -> calls[0]++);
        assertThat(calls[0]).isEqualTo(4); // 128 images in batches of 32
        assertThat(r.trainImages()).isEqualTo(128);
        FeatureNetManifest m = FeatureNetManifest.read(out.resolve("net"));
        assertThat(m.id()).isEqualTo("mnist-cnn-v1");
        assertThat(m.testAccuracy()).isEqualTo(r.testAccuracy());
        assertThat(m.datasetSha256()).isEqualTo(LabelledImages.datasetSha256(data));
        assertThat(m.inputShape()).containsExactly(1, 28, 28);

        // Labels unrelated to the images cannot be learned: far below 99%, so nothing is written.
        IdxFixtures.writeQuadrants(noise, 128, 200, 2, true);
        FeatureNetTrainingOptions strict = new FeatureNetTrainingOptions("mnist", noise, 1, 32, 1e-3, 3, 0, 0, 0.99);
        assertThatThrownBy(() -> FeatureNetTrainer.train(strict, out.resolve("bad"), TrainingProgress.NONE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("below the required 0.9900");
        assertThat(out.resolve("bad")).doesNotExist();
    }

    @Test
    void kidEvaluatorEqualsKidOnTheFeatures() {
        KidConfig config = KidConfig.defaults().withSubsets(10, 50);
        try (RawFeatures raw = new RawFeatures(784)) {
            INDArray real = test.images();
            INDArray fake = train.images().get(NDArrayIndex.interval(0, 64), NDArrayIndex.all()).dup();
            KidEvaluator evaluator = KidEvaluator.prepare(raw, real, config);
            KidEvaluator.Evaluation e = evaluator.evaluate(fake);
            assertThat(e.label()).isEqualTo("kid@raw-784d");
            assertThat(e.kid().mean()).isEqualTo(KidReference.kid(real, fake, config).mean());
            assertThat(e.features()).isEqualTo(fake);
        }
    }
}
