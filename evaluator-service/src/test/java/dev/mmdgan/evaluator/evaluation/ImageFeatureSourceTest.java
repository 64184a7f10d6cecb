package dev.mmdgan.evaluator.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.engine.data.IdxImages;
import dev.mmdgan.engine.features.FeatureNetManifest;
import dev.mmdgan.engine.features.FeatureNetTrainer;
import dev.mmdgan.engine.features.FeatureNetTrainingOptions;
import dev.mmdgan.engine.features.FeatureNetworks;
import dev.mmdgan.service.storage.InMemoryBlobStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fashion-MNIST checkpoints are scored on the classifier kept in the bucket: a small classifier (trained here on 500
 * images, enough to test the wiring) is put in an in-memory store as the evaluator would find it, and the source must
 * fetch it instead of training, and pair it with the test split.
 */
class ImageFeatureSourceTest {

    private static final String IDENTITY = "fashion-mnist(train-images-idx3-ubyte.gz sha256=abc)";
    private static final long[] SHAPE = {1, 28, 28};

    @TempDir
    static Path temp;

    private static final InMemoryBlobStore STORE = new InMemoryBlobStore();

    @BeforeAll
    static void aSmallClassifierInTheBucket() throws Exception {
        Path built = temp.resolve("built");
        FeatureNetTrainer.train(FeatureNetTrainingOptions.defaults("fashion-mnist", IdxImages.FASHION_MNIST_DIR)
                .withLimits(500, 200).withEpochs(1).withMinAccuracy(0), built, (e, es, b, bs, l) -> { });
        String prefix = FeatureNetworks.storePrefix("fashion-mnist-cnn", FeatureNetworks.VERSION);
        for (String file : FeatureNetworks.files()) {
            STORE.put(prefix + file, built.resolve(file));
        }
    }

    @Test
    void fashionMnistIsScoredOnTheStoredClassifierAgainstTheTestSplit() {
        ImageFeatureSource source = new ImageFeatureSource(Map.of("fashion-mnist", IdxImages.FASHION_MNIST_DIR),
                new FeatureNetworkLibrary(STORE, temp.resolve("local")), 300);

        assertThat(source.supports(IDENTITY, SHAPE)).isTrue();
        assertThat(source.supports(IDENTITY, new long[] {3, 32, 32})).isFalse();
        assertThat(source.supports("moons(n=10000, noise=0.1, seed=0)", new long[] {2})).isFalse();

        FeatureSource.HeldOut heldOut = source.heldOut(IDENTITY, SHAPE);
        assertThat(heldOut.network().name()).isEqualTo("fashion-mnist-cnn-v1");
        assertThat(heldOut.network().kidLabel()).isEqualTo("kid@fashion-mnist-cnn-v1");
        assertThat(heldOut.realSamples().shape()).containsExactly(300, 784);
        assertThat(heldOut.key()).contains("test split").contains("300");
        assertThat(temp.resolve("local/fashion-mnist-cnn/v1").resolve(FeatureNetManifest.FILE)).exists();

        INDArray features = heldOut.network().embed(heldOut.realSamples());
        assertThat(features.shape()).containsExactly(300, heldOut.network().featureDim());
        assertThat(source.forUploads(SHAPE)).containsSame(heldOut.network());
    }

    @Test
    void withoutAStoredClassifierUploadsFindNoNetworkAndNothingIsTrainedOnACall() {
        ImageFeatureSource source = new ImageFeatureSource(Map.of("fashion-mnist", IdxImages.FASHION_MNIST_DIR),
                new FeatureNetworkLibrary(new InMemoryBlobStore(), temp.resolve("empty")), 300);
        assertThat(source.forUploads(SHAPE)).isEmpty();
        assertThat(source.forUploads(new long[] {2})).isEmpty();
    }

    @Test
    void aDataSetWhoseFolderIsMissingIsNotSupported() {
        ImageFeatureSource source = new ImageFeatureSource(Map.of("fashion-mnist", temp.resolve("nowhere")),
                new FeatureNetworkLibrary(STORE, temp.resolve("local2")), 300);
        assertThat(source.supports(IDENTITY, SHAPE)).isFalse();
    }
}
