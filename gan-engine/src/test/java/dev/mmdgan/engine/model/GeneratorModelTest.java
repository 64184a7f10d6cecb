package dev.mmdgan.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.core.io.Sha256;
import dev.mmdgan.engine.checkpoint.CheckpointRewriter;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.data.Moons;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.engine.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

/** A checkpoint's generator for inference, on a tiny mlp-2d run whose data file is deleted before loading. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GeneratorModelTest {

    @TempDir
    static Path dir;

    static MmdGanTrainer trainer;
    static RunSpec spec;
    static Path checkpoint;
    static String dataSha256;
    static GeneratorModel model;

    @BeforeAll
    static void trainAndDeleteTheData() throws IOException {
        Path data = dir.resolve("data").resolve("points.npy");
        Files.createDirectories(data.getParent());
        NpyArrays.write(data, Moons.sample(200, 0.1, 3));
        dataSha256 = Sha256.of(data);
        spec = new RunSpec("npy", data, "mlp-2d", 8, "mmd", -1, "rq-mix", List.of(), List.of(0.2, 1.0, 5.0),
                TrainingConfig.DEFAULTS.withBatch(32).withNCritic(1).withSeed(4), 3, 0);
        trainer = spec.newTrainer();
        for (int i = 0; i < 3; i++) {
            trainer.trainStep();
        }
        checkpoint = Checkpoints.save(trainer, spec, dir.resolve("run"));
        Files.delete(data);
        Files.delete(data.getParent());
        model = GeneratorModel.load(checkpoint);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void loadsWithoutTheDataAndKnowsWhatItIs() {
        assertThat(model.noiseDim()).isEqualTo(2);
        assertThat(model.sampleShape()).containsExactly(2);
        assertThat(model.sampleSize()).isEqualTo(2);
        assertThat(model.architecture()).isEqualTo("mlp-2d");
        assertThat(model.noiseDistribution()).isEqualTo("standard-normal");
        assertThat(model.step()).isEqualTo(3);
        assertThat(model.checkpoint()).isEqualTo(checkpoint);
        var provenance = model.provenance();
        assertThat(provenance.dataset()).isEqualTo("npy(points.npy, sha256=" + dataSha256 + ")");
        assertThat(provenance.datasetSha256()).isEqualTo(dataSha256);
        assertThat(provenance.configSha256()).isEqualTo(spec.configSha256());
        assertThat(provenance.codeVersion()).isNotBlank().isNotEqualTo("unknown");
        assertThat(provenance.gitCommit()).matches("[0-9a-f]{40}|unknown");
    }

    @Test
    void sameSeedsGiveBitwiseTheSameSamples() {
        long[] seeds = {0, 1, 2, 42, -7, Long.MAX_VALUE};
        INDArray first = model.generate(seeds);
        assertThat(first.shape()).containsExactly(6, 2);
        assertThat(bits(model.generate(seeds))).isEqualTo(bits(first));
        try (GeneratorModel again = GeneratorModel.load(checkpoint)) {
            assertThat(bits(again.generate(seeds))).isEqualTo(bits(first));
        }
        assertThat(bits(model.generate(new long[] {3}))).isNotEqualTo(bits(model.generate(new long[] {4})));
    }

    @Test
    void sampleIOfABatchIsTheSampleOfItsSeedAlone() {
        // 150 seeds: more than two graph calls' worth, so rows of every position in a call are compared.
        long[] seeds = LongStream.range(0, 150).map(i -> i * 7919 - 300).toArray();
        INDArray batch = model.generate(seeds);
        for (int i = 0; i < seeds.length; i++) {
            assertThat(bits(model.generate(new long[] {seeds[i]}))).as("seed %d", seeds[i]).isEqualTo(bits(batch.getRow(i, true)));
        }
        long[] reordered = {seeds[149], seeds[0], seeds[77]};
        INDArray some = model.generate(reordered);
        assertThat(bits(some.getRow(0, true))).isEqualTo(bits(batch.getRow(149, true)));
        assertThat(bits(some.getRow(2, true))).isEqualTo(bits(batch.getRow(77, true)));
    }

    @Test
    void everyRequestSizeGivesEachSeedItsOwnSampleWhateverCallShapesWereVerified() {
        // 1, 5 and 8 rows take the small shapes where they passed at load, 9 and 64 the canonical one, 300 four
        // canonical calls and a small one.
        long[] seeds = LongStream.range(500, 800).toArray();
        INDArray all = model.generate(seeds);
        for (int n : new int[] {1, 5, 8, 9, 64, 300}) {
            INDArray last = model.generate(Arrays.copyOfRange(seeds, 300 - n, 300));
            for (int i = 0; i < n; i++) {
                assertThat(bits(last.getRow(i, true))).as("n = %d, row %d", n, i).isEqualTo(bits(all.getRow(300 - n + i, true)));
            }
        }
        for (int i = 0; i < 300; i += 37) {
            assertThat(bits(model.generate(new long[] {seeds[i]}))).isEqualTo(bits(all.getRow(i, true)));
        }
        assertThat(model.callRows()).contains(GeneratorModel.ROWS_PER_CALL).isSorted();
    }

    @Test
    void imageGeneratorsToo() throws IOException {
        // dcgan-28: convolutions and batch norm (running statistics at inference) instead of dense layers only.
        Path images = dir.resolve("images").resolve("images.npy");
        Files.createDirectories(images.getParent());
        Nd4j.getRandom().setSeed(2);
        NpyArrays.write(images, Nd4j.rand(DataType.FLOAT, 24, 1, 28, 28).muli(2).subi(1));
        RunSpec conv = new RunSpec("npy", images, "dcgan-28", 8, "mmd", -1, "rq-mix", List.of(), List.of(),
                TrainingConfig.DEFAULTS.withBatch(4).withNCritic(1).withSeed(2), 1, 0);
        MmdGanTrainer convTrainer = conv.newTrainer();
        convTrainer.trainStep();
        Path saved = Checkpoints.save(convTrainer, conv, dir.resolve("conv-run"));
        Files.delete(images);
        try (GeneratorModel images28 = GeneratorModel.load(saved)) {
            // Served folded (kernel rearrangements and batch-norm scales computed once), with the trainer's bits.
            assertThat(images28.folded()).isTrue();
            Nd4j.getRandom().setSeed(12);
            INDArray z = Nd4j.randn(DataType.FLOAT, GeneratorModel.ROWS_PER_CALL, images28.noiseDim());
            assertThat(bits(images28.generate(z))).isEqualTo(bits(convTrainer.samplerGraph().output(Map.of("z", z), "samples").get("samples")));
            assertThat(images28.sampleShape()).containsExactly(1, 28, 28);
            assertThat(images28.noiseDim()).isEqualTo(convTrainer.architecture().noiseDim());
            long[] seeds = LongStream.range(100, 170).toArray();
            INDArray batch = images28.generate(seeds);
            assertThat(batch.shape()).containsExactly(70, 28 * 28);
            for (int i : new int[] {0, 1, 31, 63, 64, 69}) {
                assertThat(bits(images28.generate(new long[] {seeds[i]}))).as("seed %d", seeds[i]).isEqualTo(bits(batch.getRow(i, true)));
            }
            INDArray five = images28.generate(Arrays.copyOfRange(seeds, 59, 64)); // the 8-row shape where verified
            for (int i = 0; i < 5; i++) {
                assertThat(bits(five.getRow(i, true))).isEqualTo(bits(batch.getRow(59 + i, true)));
            }
            // 70 rows: a canonical call and a small one; the same bits as asked for in two requests.
            INDArray canonical = Nd4j.vstack(images28.generate(Arrays.copyOfRange(seeds, 0, 64)),
                    images28.generate(Arrays.copyOfRange(seeds, 64, 70)));
            assertThat(bits(batch)).isEqualTo(bits(canonical));
        }
    }

    @Test
    void givenNoiseGivesWhatTheTrainersOwnSamplerMakes() {
        Nd4j.getRandom().setSeed(11);
        INDArray z = Nd4j.randn(DataType.FLOAT, GeneratorModel.ROWS_PER_CALL, 2).muli(1.5);
        INDArray trainers = trainer.samplerGraph().output(Map.of("z", z), "samples").get("samples");
        assertThat(model.folded()).isTrue();
        assertThat(bits(model.generate(z))).isEqualTo(bits(trainers));
        // Other row counts: the same values up to float rounding (the trainer's call has another shape).
        INDArray few = z.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        INDArray fromTrainer = trainer.samplerGraph().output(Map.of("z", few), "samples").get("samples");
        assertThat(model.generate(few).sub(fromTrainer).amaxNumber().doubleValue()).isLessThan(1e-5);
        // Seeded generation is G applied to the seed's noise.
        long[] seeds = {5, 6};
        INDArray noise = Nd4j.create(new float[][] {LatentNoise.of(5, 2), LatentNoise.of(6, 2)});
        assertThat(bits(model.generate(seeds))).isEqualTo(bits(model.generate(noise)));
    }

    @Test
    void truncationResamplesOutOfRangeComponentsAndKeepsTheOthers() {
        double psi = 0.5;
        int resampled = 0;
        List<Float> replacements = new ArrayList<>();
        for (long seed = 0; seed < 2000; seed++) {
            float[] plain = LatentNoise.of(seed, 16);
            float[] truncated = LatentNoise.of(seed, 16, psi);
            assertThat(LatentNoise.of(seed, 16, psi)).isEqualTo(truncated);
            for (int j = 0; j < 16; j++) {
                assertThat(Math.abs((double) truncated[j])).isLessThanOrEqualTo(psi);
                if (Math.abs(plain[j]) <= psi) {
                    assertThat(truncated[j]).as("kept as it was, not rescaled").isEqualTo(plain[j]);
                } else {
                    resampled++;
                    replacements.add(truncated[j]);
                }
            }
        }
        // P(|Z| > 0.5) = 0.617: about 19,700 of 32,000 components were resampled.
        assertThat(resampled).isBetween(19_000, 20_500);
        // The replacements follow N(0, 1) on [−0.5, 0.5]: mean 0, variance 0.0801, both ends reached.
        double mean = replacements.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
        double variance = replacements.stream().mapToDouble(v -> v * v).average().orElseThrow() - mean * mean;
        assertThat(mean).isBetween(-0.01, 0.01);
        assertThat(variance).isBetween(0.077, 0.083);
        assertThat(replacements.stream().mapToDouble(Float::doubleValue).max().orElseThrow()).isGreaterThan(0.49);
        assertThat(replacements.stream().mapToDouble(Float::doubleValue).min().orElseThrow()).isLessThan(-0.49);

        // Tiny ψ, and ψ ≤ 0 meaning none.
        for (float v : LatentNoise.of(9, 1000, 1e-6)) {
            assertThat(Math.abs((double) v)).isLessThanOrEqualTo(1e-6);
        }
        assertThat(LatentNoise.of(9, 8, 0)).isEqualTo(LatentNoise.of(9, 8)).isEqualTo(LatentNoise.of(9, 8, -1));
        assertThatThrownBy(() -> LatentNoise.of(9, 8, Double.NaN)).isInstanceOf(IllegalArgumentException.class);

        // The model feeds its generator the truncated noise.
        long[] seeds = LongStream.range(0, 40).toArray();
        INDArray z = Nd4j.create(DataType.FLOAT, 40, 2);
        for (int i = 0; i < 40; i++) {
            z.putRow(i, Nd4j.createFromArray(LatentNoise.of(i, 2, 0.3)));
        }
        assertThat(bits(model.generate(seeds, 0.3))).isEqualTo(bits(model.generate(z))).isNotEqualTo(bits(model.generate(seeds)));
    }

    @Test
    void concurrentCallersGetWhatSequentialCallsGet() throws Exception {
        int threads = 8;
        List<long[]> requests = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = t * 1000L;
            requests.add(LongStream.range(base, base + 20 + 13L * t).toArray());
        }
        List<int[]> sequential = requests.stream().map(seeds -> bits(model.generate(seeds, seeds.length % 2 == 0 ? 0.7 : 0))).toList();

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<int[]>>> results = new ArrayList<>();
            for (long[] seeds : requests) {
                Callable<List<int[]>> task = () -> {
                    start.await();
                    List<int[]> made = new ArrayList<>();
                    for (int round = 0; round < 5; round++) {
                        made.add(bits(model.generate(seeds, seeds.length % 2 == 0 ? 0.7 : 0)));
                    }
                    return made;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                for (int[] made : results.get(t).get(2, TimeUnit.MINUTES)) {
                    assertThat(made).as("thread %d", t).isEqualTo(sequential.get(t));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedModelRefusesToGenerate() {
        GeneratorModel closing = GeneratorModel.load(checkpoint);
        closing.close();
        closing.close();
        assertThatThrownBy(() -> closing.generate(new long[] {1})).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void badRequestsAreClearErrors() {
        assertThatThrownBy(() -> model.generate(new long[0])).hasMessageContaining("at least one seed");
        assertThatThrownBy(() -> model.generate(Nd4j.zeros(DataType.FLOAT, 3, 5))).hasMessageContaining("latents must be [n ≥ 1, 2], got [3, 5]");
    }

    @Test
    void aDamagedCheckpointFailsNamingTheFile() throws IOException {
        Path copy = CheckpointRewriter.rewrite(checkpoint, dir.resolve("damaged"), 2, List.of());
        Path graph = copy.resolve(Checkpoints.GENERATOR_GRAPH);
        byte[] bytes = Files.readAllBytes(graph);
        bytes[bytes.length / 2] ^= 1;
        Files.write(graph, bytes);
        assertThatThrownBy(() -> GeneratorModel.load(copy)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generator.sd does not match its SHA-256 in the manifest");
        Files.delete(graph);
        assertThatThrownBy(() -> GeneratorModel.load(copy)).hasMessageContaining("generator.sd is listed in the manifest but missing");
    }

    @Test
    void formatOneCheckpointsLoadWithTheirSignatureDerivedAndFormatThreeIsRefused() throws IOException {
        Path v1 = CheckpointRewriter.asFormat1(checkpoint, dir.resolve("format-1"));
        try (GeneratorModel old = GeneratorModel.load(v1)) {
            assertThat(old.noiseDim()).isEqualTo(2);
            assertThat(old.sampleShape()).containsExactly(2);
            assertThat(old.noiseDistribution()).isEqualTo("standard-normal");
            assertThat(old.provenance().gitCommit()).isEqualTo("unknown");
            assertThat(old.provenance().datasetSha256()).isEqualTo("unknown");
            assertThat(old.provenance().configSha256()).isEqualTo("unknown");
            assertThat(old.provenance().dataset()).isEqualTo(model.provenance().dataset());
            long[] seeds = {1, 2, 3};
            assertThat(bits(old.generate(seeds))).isEqualTo(bits(model.generate(seeds)));
        }
        Path v3 = CheckpointRewriter.rewrite(checkpoint, dir.resolve("format-3"), 3, List.of());
        assertThatThrownBy(() -> GeneratorModel.load(v3)).hasMessageContaining("checkpoint format 3 is not supported; this build reads formats 1 to 2");
    }

    /** The float bits of every value, row-major: equal arrays are bitwise equal. */
    private static int[] bits(INDArray a) {
        float[] values = a.dup('c').data().asFloat();
        int[] bits = new int[values.length];
        Arrays.setAll(bits, i -> Float.floatToRawIntBits(values[i]));
        return bits;
    }
}
