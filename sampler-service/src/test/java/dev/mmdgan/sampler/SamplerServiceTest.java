package dev.mmdgan.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.api.v1.EvaluationCompleted;
import dev.mmdgan.api.v1.Evaluation;
import dev.mmdgan.api.v1.GenerateRequest;
import dev.mmdgan.api.v1.GenerateResponse;
import dev.mmdgan.api.v1.GetModelRequest;
import dev.mmdgan.api.v1.InterpolateRequest;
import dev.mmdgan.api.v1.InterpolationPath;
import dev.mmdgan.api.v1.KidResult;
import dev.mmdgan.api.v1.ModelInfo;
import dev.mmdgan.api.v1.SampleFormat;
import dev.mmdgan.api.v1.SamplerServiceGrpc;
import dev.mmdgan.cli.MmdganCommand;
import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.model.GeneratorModel;
import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.events.EventIds;
import dev.mmdgan.service.events.EventPublisher;
import dev.mmdgan.service.storage.BlobStore;
import dev.mmdgan.service.storage.CheckpointStore;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The sampler against the real broker and store over real gRPC: preloading at start, picking up each new checkpoint,
 * the best policy following evaluations, a corrupt checkpoint rejected while the old model serves on, the
 * reproducibility properties checked against the engine in-process, every output format, streams, interpolation, and
 * the CLI's {@code sample --remote}.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "sampler"))
class SamplerServiceTest {

    private static final Duration SWAP = Duration.ofSeconds(30);

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8083")
    int port;

    @Inject
    CheckpointStore store;

    @Inject
    BlobStore blobs;

    @Inject
    EventPublisher publisher;

    @Inject
    KafkaConfig kafka;

    @Inject
    Sampler sampler;

    @Inject
    SamplerMetrics metrics;

    @TempDir
    Path tmp;

    private ManagedChannel channel;
    private SamplerServiceGrpc.SamplerServiceBlockingStub stub;

    @BeforeEach
    void connect() throws InterruptedException {
        SamplerCalls.awaitReady(port);
        channel = SamplerCalls.channel(port);
        stub = SamplerCalls.sampler(channel);
    }

    @AfterEach
    void disconnect() {
        channel.shutdownNow();
    }

    private void publish(String run, int step) throws InterruptedException {
        SamplerCalls.publish(store, publisher, kafka, run, step, TestCheckpoints.moons(step));
    }

    private static byte[] bytes(GenerateResponse r) {
        return r.getSamples().toByteArray();
    }

    @Test
    void aStartingSamplerHasLoadedTheStoresRunsAlready() {
        assertThat(sampler.registry().cache().keys()).contains(LocalInfra.PRELOADED_RUN + "@" + LocalInfra.PRELOADED_STEP);
        ModelInfo info = stub.getModel(GetModelRequest.newBuilder().setRunId(LocalInfra.PRELOADED_RUN).build());
        assertThat(info.getCheckpoint().getGeneratorStep()).isEqualTo(LocalInfra.PRELOADED_STEP);
        assertThat(info.getCheckpoint().getUri()).endsWith("runs/preloaded/checkpoints/3/");
        assertThat(info.getPolicy()).isEqualTo("latest");
        assertThat(info.getReason()).isEqualTo("newest verified checkpoint");
        assertThat(info.getArchitecture()).isEqualTo("mlp-2d");
        assertThat(info.getSampleShapeList()).containsExactly(2L);
        assertThat(info.getProvenance().getConfigSha256()).isNotEmpty();
        assertThat(info.hasLoadedAt()).isTrue();
    }

    @Test
    void eachNewCheckpointOfARunIsPickedUpAndOldOrRepeatedEventsAreIgnored() throws Exception {
        publish("pickup", 1);
        SamplerCalls.awaitModel(stub, "pickup", SWAP, m -> m.getCheckpoint().getGeneratorStep() == 1);
        for (int step : new int[] {2, 4}) {
            publish("pickup", step);
            SamplerCalls.awaitModel(stub, "pickup", SWAP, m -> m.getCheckpoint().getGeneratorStep() == step);
        }
        publish("pickup", 3); // older than what is served
        publish("pickup", 4); // a repeat
        publish("pickup", 5);
        SamplerCalls.awaitModel(stub, "pickup", SWAP, m -> m.getCheckpoint().getGeneratorStep() == 5);
        GenerateResponse r = stub.generate(GenerateRequest.newBuilder().setRunId("pickup").setN(3).setSeed(1).build());
        assertThat(r.getModel().getCheckpoint().getGeneratorStep()).isEqualTo(5);
        assertThat(r.getModel().getCheckpoint().getRunId()).isEqualTo("pickup");
    }

    @Test
    void samplesAreReproducibleAndEqualTheEngineInProcess() throws Exception {
        publish("repro", 6);
        GenerateRequest base = GenerateRequest.newBuilder().setRunId("repro").setN(70).setSeed(1000).build();
        GenerateResponse first = stub.generate(base);
        GenerateResponse again = stub.generate(base);
        assertThat(bytes(again)).isEqualTo(bytes(first));
        assertThat(first.getSeedsList()).containsExactlyElementsOf(LongStream.range(1000, 1070).boxed().toList());
        assertThat(first.getSamples().getShapeList()).containsExactly(70L, 2L);

        // One seed per sample gives the same as the base seed; sample i alone equals sample i of the batch.
        GenerateResponse perSample = stub.generate(GenerateRequest.newBuilder().setRunId("repro")
                .addAllSeeds(LongStream.range(1000, 1070).boxed().toList()).build());
        assertThat(bytes(perSample)).isEqualTo(bytes(first));
        for (int i : new int[] {0, 13, 63, 64, 69}) {
            GenerateResponse alone = stub.generate(GenerateRequest.newBuilder().setRunId("repro").setN(1).setSeed(1000 + i).build());
            assertThat(alone.getSamples().getValuesList()).containsExactlyElementsOf(first.getSamples().getValuesList().subList(2 * i, 2 * i + 2));
        }

        // The engine in-process on the same checkpoint, truncation included.
        GenerateResponse truncated = stub.generate(base.toBuilder().setTruncation(0.5).build());
        try (GeneratorModel local = GeneratorModel.load(TestCheckpoints.moons(6))) {
            long[] seeds = LongStream.range(1000, 1070).toArray();
            assertThat(first.getSamples().getValuesList()).containsExactlyElementsOf(floats(local.generate(seeds)));
            assertThat(truncated.getSamples().getValuesList()).containsExactlyElementsOf(floats(local.generate(seeds, 0.5)));
        }
        assertThat(truncated.getSamples().getValuesList()).isNotEqualTo(first.getSamples().getValuesList());

        // A past step by number, while step 6 is served.
        publish("repro", 2);
        GenerateResponse old = stub.generate(base.toBuilder().setStep(2).build());
        assertThat(old.getModel().getCheckpoint().getGeneratorStep()).isEqualTo(2);
        assertThat(old.getModel().getReason()).isEqualTo("step 2 as requested");
        try (GeneratorModel local = GeneratorModel.load(TestCheckpoints.moons(2))) {
            assertThat(old.getSamples().getValuesList()).containsExactlyElementsOf(floats(local.generate(LongStream.range(1000, 1070).toArray())));
        }
    }

    private static List<Float> floats(INDArray a) {
        List<Float> out = new ArrayList<>();
        for (float f : a.dup('c').data().asFloat()) {
            out.add(f);
        }
        return out;
    }

    @Test
    void imageModelsAnswerAsTensorPngGridOrNpy() throws Exception {
        SamplerCalls.publish(store, publisher, kafka, "images", 1, TestCheckpoints.dcgan());
        GenerateRequest.Builder req = GenerateRequest.newBuilder().setRunId("images").setN(16).setSeed(5);
        GenerateResponse png = stub.generate(req.setFormat(SampleFormat.SAMPLE_FORMAT_PNG_GRID).build());
        assertThat(png.getSamples().getShapeList()).containsExactly(16L, 1L, 28L, 28L);
        assertThat(png.getPng().substring(1, 4).toStringUtf8()).isEqualTo("PNG");
        GenerateResponse npy = stub.generate(req.setFormat(SampleFormat.SAMPLE_FORMAT_NPY).build());
        assertThat(npy.hasSamples()).isFalse();
        Path file = tmp.resolve("s.npy");
        Files.write(file, npy.getNpy().toByteArray());
        INDArray read = NpyArrays.readArray(file);
        assertThat(read.shape()).containsExactly(16, 1, 28, 28);
        assertThat(read.dup('c').data().asFloat()).containsExactly(toArray(png.getSamples().getValuesList()));
    }

    private static float[] toArray(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    @Test
    void streamsComeInChunksOfOneModelAndMatchGenerate() throws Exception {
        publish("stream", 7);
        Iterator<GenerateResponse> chunks = stub.generateStream(GenerateRequest.newBuilder().setRunId("stream").setN(1000)
                .setSeed(0).setChunkSize(256).build());
        List<GenerateResponse> all = new ArrayList<>();
        chunks.forEachRemaining(all::add);
        assertThat(all).extracting(GenerateResponse::getOffset).containsExactly(0L, 256L, 512L, 768L);
        assertThat(all).extracting(c -> c.getSamples().getShape(0)).containsExactly(256L, 256L, 256L, 232L);
        assertThat(all).extracting(c -> c.getModel().getCheckpoint().getGeneratorStep()).containsOnly(7L);
        GenerateResponse direct = stub.generate(GenerateRequest.newBuilder().setRunId("stream").setN(10).setSeed(512).build());
        assertThat(all.get(2).getSamples().getValuesList().subList(0, 20)).containsExactlyElementsOf(direct.getSamples().getValuesList());
    }

    @Test
    void aStreamPastItsDeadlineStopsUsingCompute() throws Exception {
        publish("deadline", 15);
        stub.generate(GenerateRequest.newBuilder().setRunId("deadline").setN(1).build()); // loaded
        Iterator<GenerateResponse> chunks = stub.withDeadlineAfter(1, java.util.concurrent.TimeUnit.SECONDS)
                .generateStream(GenerateRequest.newBuilder().setRunId("deadline").setN(1_000_000).setChunkSize(1024).build());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> chunks.forEachRemaining(c -> { }))
                .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.DEADLINE_EXCEEDED));
        Thread.sleep(1000); // a chunk in progress finishes
        double made = metrics.samplesCount();
        Thread.sleep(2000);
        assertThat(metrics.samplesCount()).as("samples made after the deadline").isEqualTo(made);
        assertThat(made).isLessThan(1_000_000);
        assertThat(sampler.queue().queuedRows()).isZero();
    }

    @Test
    void interpolationStartsAndEndsAtItsEndPoints() throws Exception {
        publish("walk", 8);
        GenerateResponse ends = stub.generate(GenerateRequest.newBuilder().setRunId("walk").addSeeds(11).addSeeds(22).build());
        for (InterpolationPath path : new InterpolationPath[] {InterpolationPath.INTERPOLATION_PATH_LINEAR, InterpolationPath.INTERPOLATION_PATH_SLERP}) {
            GenerateResponse walk = stub.interpolate(InterpolateRequest.newBuilder().setRunId("walk").setSeedFrom(11).setSeedTo(22)
                    .setSteps(5).setPath(path).build());
            List<Float> v = walk.getSamples().getValuesList();
            assertThat(walk.getSamples().getShapeList()).containsExactly(5L, 2L);
            assertThat(v.subList(0, 2)).containsExactlyElementsOf(ends.getSamples().getValuesList().subList(0, 2));
            assertThat(v.subList(8, 10)).containsExactlyElementsOf(ends.getSamples().getValuesList().subList(2, 4));
        }
        // By latent vectors: G(z) of the end points, compared with the engine in-process.
        try (GeneratorModel local = GeneratorModel.load(TestCheckpoints.moons(8))) {
            int dim = local.noiseDim();
            InterpolateRequest.Builder byLatent = InterpolateRequest.newBuilder().setRunId("walk").setSteps(3)
                    .setPath(InterpolationPath.INTERPOLATION_PATH_LINEAR);
            float[] a = new float[dim];
            float[] b = new float[dim];
            for (int j = 0; j < dim; j++) {
                a[j] = 0.1f * j;
                b[j] = -0.2f * j;
                byLatent.addLatentFrom(a[j]).addLatentTo(b[j]);
            }
            GenerateResponse walk = stub.interpolate(byLatent.build());
            INDArray z = org.nd4j.linalg.factory.Nd4j.create(new float[][] {a, b});
            List<Float> expected = floats(local.generate(z));
            List<Float> v = walk.getSamples().getValuesList();
            assertThat(v.subList(0, 2)).containsExactlyElementsOf(expected.subList(0, 2));
            assertThat(v.subList(4, 6)).containsExactlyElementsOf(expected.subList(2, 4));
        }
    }

    @Test
    void theBestPolicyFollowsEvaluationEvents() throws Exception {
        String run = LocalInfra.BEST_RUN;
        for (int step : new int[] {9, 10, 11}) {
            publish(run, step);
        }
        ModelInfo first = SamplerCalls.awaitModel(stub, run, SWAP, m -> m.getCheckpoint().getGeneratorStep() == 11);
        assertThat(first.getPolicy()).isEqualTo("best");
        assertThat(first.getReason()).isEqualTo("no evaluation yet: newest verified checkpoint");
        evaluate(run, 10, 0.02);
        ModelInfo best = SamplerCalls.awaitModel(stub, run, SWAP, m -> m.getCheckpoint().getGeneratorStep() == 10);
        assertThat(best.getReason()).isEqualTo("lowest KID so far (0.02 at step 10)");
        assertThat(best.getKid()).isEqualTo(0.02);
        evaluate(run, 9, 0.5); // worse: stays
        evaluate(run, 11, 0.01);
        SamplerCalls.awaitModel(stub, run, SWAP, m -> m.getCheckpoint().getGeneratorStep() == 11 && m.getKid() == 0.01);
    }

    private void evaluate(String run, long step, double kid) {
        publisher.publish(kafka.evaluationsTopic(), run, EvaluationCompleted.newBuilder()
                .setHeader(EventIds.header(run, step, "evaluation", "test"))
                .setEvaluation(Evaluation.newBuilder().setRunId(run).setGeneratorStep(step).setKid(KidResult.newBuilder().setMean(kid)))
                .build());
    }

    @Test
    void aCorruptCheckpointIsRejectedAndTheOldModelKeepsServing() throws Exception {
        publish("corrupt", 12);
        SamplerCalls.awaitModel(stub, "corrupt", SWAP, m -> m.getCheckpoint().getGeneratorStep() == 12);
        double rejectedBefore = metrics.rejectedCount();
        // Step 13 arrives with its generator altered after upload: the manifest no longer matches.
        var ref = store.upload("corrupt", 13, TestCheckpoints.moons(13), () -> true, e -> { });
        blobs.put(CheckpointStore.checkpointPrefix("corrupt", 13) + Checkpoints.GENERATOR_GRAPH, new byte[] {1, 2, 3});
        SamplerCalls.announce(publisher, kafka, ref);
        long deadline = System.nanoTime() + SWAP.toNanos();
        while (metrics.rejectedCount() == rejectedBefore && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(metrics.rejectedCount()).isEqualTo(rejectedBefore + 1);
        GenerateResponse r = stub.generate(GenerateRequest.newBuilder().setRunId("corrupt").setN(2).setSeed(3).build());
        assertThat(r.getModel().getCheckpoint().getGeneratorStep()).isEqualTo(12);
        // A good newer checkpoint is served again.
        publish("corrupt", 14);
        SamplerCalls.awaitModel(stub, "corrupt", SWAP, m -> m.getCheckpoint().getGeneratorStep() == 14);
    }

    @Test
    void theCliWritesAGridAndRawSamplesFromTheService() throws Exception {
        SamplerCalls.publish(store, publisher, kafka, "cli-images", 1, TestCheckpoints.dcgan());
        Path grid = tmp.resolve("grid.png");
        Path raw = tmp.resolve("x.npy");
        String remote = "127.0.0.1:" + port;
        assertThat(cli("sample", "--remote", remote, "--run", "cli-images", "--n", "64", "--out", grid.toString())).isZero();
        assertThat(javax.imageio.ImageIO.read(grid.toFile()).getWidth()).isGreaterThan(8 * 28);
        assertThat(cli("sample", "--remote", remote, "--run", "cli-images", "--n", "64", "--seed", "5", "--out", raw.toString())).isZero();
        assertThat(NpyArrays.readArray(raw).shape()).containsExactly(64, 1, 28, 28);
        GenerateResponse direct = stub.generate(GenerateRequest.newBuilder().setRunId("cli-images").setN(64).setSeed(5).build());
        assertThat(NpyArrays.readArray(raw).dup('c').data().asFloat()).containsExactly(toArray(direct.getSamples().getValuesList()));
    }

    private static int cli(String... args) {
        var cmd = MmdganCommand.commandLine();
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err));
        cmd.setOut(new PrintWriter(new StringWriter()));
        int rc = cmd.execute(args);
        if (rc != 0) {
            throw new AssertionError("mmdgan " + String.join(" ", args) + " failed (" + rc + "): " + err);
        }
        return rc;
    }
}
