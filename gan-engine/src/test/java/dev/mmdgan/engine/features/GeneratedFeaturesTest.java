package dev.mmdgan.engine.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.model.GeneratorModel;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.engine.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Generating and embedding in overlapping chunks gives what generating everything and then embedding it gives. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GeneratedFeaturesTest {

    @TempDir
    static Path dir;

    static GeneratorModel model;
    static GraphFeatureNetwork network;

    @BeforeAll
    static void saveAnImageGenerator() throws IOException {
        Path images = Files.createDirectories(dir.resolve("data")).resolve("images.npy");
        Nd4j.getRandom().setSeed(3);
        NpyArrays.write(images, Nd4j.rand(DataType.FLOAT, 24, 1, 28, 28).muli(2).subi(1));
        RunSpec spec = new RunSpec("npy", images, "dcgan-28", 8, "mmd", -1, "rq-mix", List.of(), List.of(),
                TrainingConfig.DEFAULTS.withBatch(4).withNCritic(1).withSeed(5), 1, 0);
        var trainer = spec.newTrainer();
        trainer.trainStep();
        model = GeneratorModel.load(Checkpoints.save(trainer, spec, dir.resolve("run")));
        network = UntrainedFeatureNetwork.of(model.sampleShape());
    }

    @AfterAll
    static void close() {
        model.close();
        network.close();
    }

    @Test
    void samplesAndFeaturesEqualThoseMadeOneAfterTheOther() {
        // Two full chunks and a short one.
        long[] seeds = LongStream.range(100, 100 + 2L * GeneratedFeatures.CHUNK_ROWS + 37).toArray();
        GeneratedFeatures.Result pipelined = GeneratedFeatures.of(model, seeds, network);

        INDArray samples = model.generate(seeds);
        assertThat(pipelined.samples()).isEqualTo(samples);
        assertThat(pipelined.features()).isEqualTo(network.embed(samples));
        assertThat(pipelined.generateSeconds()).isPositive();
        assertThat(pipelined.embedSeconds()).isPositive();
    }

    @Test
    void aFailingFeatureNetworkFailsTheCallWithItsOwnError() {
        FeatureNetwork failing = new FeatureNetwork() { // an in-memory fake that cannot embed
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public long[] inputShape() {
                return model.sampleShape();
            }

            @Override
            public int featureDim() {
                return 4;
            }

            @Override
            public INDArray embed(INDArray samples) {
                throw new IllegalStateException("the feature network is closed");
            }

            @Override
            public void close() {
            }
        };
        assertThatThrownBy(() -> GeneratedFeatures.of(model, new long[] {1, 2, 3}, failing))
                .isInstanceOf(IllegalStateException.class).hasMessage("the feature network is closed");
        assertThatThrownBy(() -> GeneratedFeatures.of(model, new long[0], failing))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("give at least one seed");
    }
}
