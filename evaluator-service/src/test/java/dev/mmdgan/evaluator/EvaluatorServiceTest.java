package dev.mmdgan.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.DecisionKind;
import dev.mmdgan.api.v1.EvaluateCheckpointRequest;
import dev.mmdgan.api.v1.Evaluation;
import dev.mmdgan.api.v1.EvaluationCompleted;
import dev.mmdgan.api.v1.KernelSpec;
import dev.mmdgan.api.v1.KidOptions;
import dev.mmdgan.api.v1.KidResult;
import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.api.v1.ListEvaluationsRequest;
import dev.mmdgan.api.v1.ListEvaluationsResponse;
import dev.mmdgan.api.v1.SampleSet;
import dev.mmdgan.api.v1.TwoSampleOptions;
import dev.mmdgan.api.v1.TwoSampleTestResult;
import dev.mmdgan.api.v1.TwoSampleUpload;
import dev.mmdgan.api.v1.WatchEvaluationsRequest;
import dev.mmdgan.cli.MmdganCommand;
import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.core.kernel.Kernels;
import dev.mmdgan.core.twosample.PermutationTest;
import dev.mmdgan.core.twosample.PermutationTestResult;
import dev.mmdgan.evaluator.evaluation.CheckpointScorer;
import dev.mmdgan.evaluator.evaluation.EvaluationMetrics;
import dev.mmdgan.evaluator.evaluation.EvaluationSettings;
import dev.mmdgan.evaluator.evaluation.Evaluations;
import dev.mmdgan.evaluator.evaluation.FeatureSource;
import dev.mmdgan.evaluator.evaluation.ReferenceCache;
import dev.mmdgan.evaluator.evaluation.RunProgress;
import dev.mmdgan.evaluator.storage.EvaluationStore;
import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.events.EventIds;
import dev.mmdgan.service.events.InMemoryEventPublisher;
import dev.mmdgan.service.storage.BlobStore;
import dev.mmdgan.service.storage.CheckpointStore;
import dev.mmdgan.service.storage.Retry;
import dev.mmdgan.service.testing.KafkaTopics;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The evaluator against the real broker and store over real gRPC: the decay loop end to end (checkpoint events in,
 * evaluations and exactly one DECAY out), listing, watching, restart continuity from the store, and KID and the
 * two-sample test on uploaded rows against mmd-core and the {@code mmdgan kid} command.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "evaluator"))
class EvaluatorServiceTest {

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8085")
    int port;

    @Inject
    KafkaConfig kafka;

    @Inject
    CheckpointStore checkpoints;

    @Inject
    BlobStore blobs;

    @Inject
    Retry retry;

    @Inject
    EvaluationSettings settings;

    @Inject
    FeatureSource features;

    private ManagedChannel channel;

    @BeforeEach
    void connect() throws InterruptedException {
        EvaluatorCalls.awaitReady(port);
        channel = EvaluatorCalls.channel(port);
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    /** The evaluations WatchEvaluations streams for {@code run}, collected as they come, for {@code minutes} at most. */
    private List<Evaluation> watch(String run, int minutes) {
        List<Evaluation> watched = new CopyOnWriteArrayList<>();
        EvaluatorCalls.async(channel).withDeadlineAfter(minutes, java.util.concurrent.TimeUnit.MINUTES)
                .watchEvaluations(WatchEvaluationsRequest.newBuilder().setRunId(run).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(Evaluation e) {
                        watched.add(e);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        return watched;
    }

    private static byte[] event(CheckpointRef ref, String what) {
        return CheckpointPublished.newBuilder().setCheckpoint(ref)
                .setHeader(EventIds.header(ref.getRunId(), ref.getGeneratorStep(), what, "trainer-service")).build().toByteArray();
    }

    @Test
    void aRunThatStopsImprovingGetsExactlyOneDecayAndARestartedEvaluatorContinues(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        String run = UUID.randomUUID().toString();
        MoonsCheckpoints moons = new MoonsCheckpoints(dir);
        List<CheckpointRef> refs = new ArrayList<>();
        for (long step = 100; step <= 500; step += 100) {
            refs.add(moons.upload(checkpoints, run, step));
        }
        List<Evaluation> watched = watch(run, 5);
        // The trainer's events, at least once: each step once, step 200 twice, and step 100 again after step 300.
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            events.add(event(refs.get(i), "checkpoint"));
            if (i == 1) {
                events.add(event(refs.get(1), "checkpoint"));
            }
            if (i == 2) {
                events.add(event(refs.get(0), "checkpoint|again"));
            }
        }
        // One at a time, each after the previous evaluation: no checkpoint is superseded while one waits.
        for (int i = 0; i < events.size(); i++) {
            KafkaTopics.publish(kafka.bootstrapServers(), kafka.checkpointsTopic(), run, List.of(events.get(i)));
            if (i == 0 || i == 2 || i == 4 || i == 5 || i == 6) {
                int expected = i == 0 ? 1 : i == 2 ? 2 : i == 4 ? 3 : i == 5 ? 4 : 5;
                awaitEvaluations(run, expected);
            }
        }
        List<EvaluationCompleted> completed = KafkaTopics.read(kafka.bootstrapServers(), kafka.evaluationsTopic(), run,
                EvaluationCompleted::parseFrom, 5, 3000, Duration.ofSeconds(60));
        assertThat(completed).extracting(c -> c.getEvaluation().getGeneratorStep()).containsExactly(100L, 200L, 300L, 400L, 500L);
        assertThat(completed).extracting(c -> c.getEvaluation().getDecision()).containsExactly(DecisionKind.DECISION_KIND_WARMUP,
                DecisionKind.DECISION_KIND_WARMUP, DecisionKind.DECISION_KIND_FAIL, DecisionKind.DECISION_KIND_FAIL,
                DecisionKind.DECISION_KIND_DECAY);
        Evaluation last = completed.get(4).getEvaluation();
        assertThat(last.getKid().getFeatureNetwork()).isEqualTo("raw-2d");
        assertThat(last.getPictureKey()).isEqualTo("runs/" + run + "/evaluations/500/samples.png");
        assertThat(blobs.size(last.getPictureKey())).isPositive();

        List<LearningRateDecision> decisions = KafkaTopics.read(kafka.bootstrapServers(), kafka.decisionsTopic(), run,
                LearningRateDecision::parseFrom, 3, 3000, Duration.ofSeconds(60));
        assertThat(decisions).extracting(LearningRateDecision::getKind).containsExactly(DecisionKind.DECISION_KIND_FAIL,
                DecisionKind.DECISION_KIND_FAIL, DecisionKind.DECISION_KIND_DECAY);
        assertThat(decisions.get(2).getDecisionId()).isEqualTo(EventIds.id(run, 500, "lr-decision"));
        assertThat(decisions.get(2).getFactor()).isEqualTo(0.8);
        assertThat(watched).extracting(Evaluation::getGeneratorStep).containsExactly(100L, 200L, 300L, 400L, 500L);

        // Asking again for an evaluated step answers the stored evaluation and decides nothing new.
        Evaluation again = EvaluatorCalls.blocking(channel).evaluateCheckpoint(EvaluateCheckpointRequest.newBuilder()
                .setCheckpoint(CheckpointRef.newBuilder().setRunId(run).setGeneratorStep(500)).build());
        assertThat(again).isEqualTo(last);

        // Pages of two, in step order.
        List<Long> listed = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListEvaluationsResponse page = EvaluatorCalls.blocking(channel).listEvaluations(ListEvaluationsRequest.newBuilder()
                    .setRunId(run).setPageSize(2).setPageToken(token).build());
            page.getEvaluationsList().forEach(e -> listed.add(e.getGeneratorStep()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(listed).containsExactly(100L, 200L, 300L, 400L, 500L);
        assertThat(pages).isEqualTo(3);

        // A restarted evaluator (a new domain on the same store) continues where this one is.
        InMemoryEventPublisher published = new InMemoryEventPublisher();
        Evaluations restarted = new Evaluations(checkpoints, new EvaluationStore(blobs),
                new CheckpointScorer(features, new ReferenceCache(2), settings.sampleSeed(), settings.pictureSamples()), published,
                new Evaluations.Topics("e", "d"), settings, new EvaluationMetrics(new SimpleMeterRegistry()), retry,
                dir.resolve("restarted"));
        RunProgress progress = restarted.progress(run);
        assertThat(progress.lastStep()).isEqualTo(500);
        assertThat(progress.decays()).isEqualTo(1);
        assertThat(progress.evaluations()).isEqualTo(5);
        CheckpointRef s600 = moons.upload(checkpoints, run, 600);
        Evaluation next = restarted.evaluate(restarted.forEvent(s600, "", dev.mmdgan.evaluator.evaluation.RunPolicy.defaults(restarted.settings()))).orElseThrow();
        assertThat(next.getDecision()).as("tested against the entries kept by the decay").isEqualTo(DecisionKind.DECISION_KIND_FAIL);
        assertThat(next.getRelativeTest().getPreviousStep()).as("a decay keeps the last min(3, window) entries").isEqualTo(200);
    }

    private void awaitEvaluations(String run, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int found = 0;
        while (System.nanoTime() < deadline) {
            found = EvaluatorCalls.blocking(channel).listEvaluations(ListEvaluationsRequest.newBuilder().setRunId(run)
                    .setPageSize(500).build()).getEvaluationsCount();
            if (found >= count) {
                Thread.sleep(300); // its events and saved state follow the stored evaluation
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("only " + found + " of " + count + " evaluations after 120 s");
    }

    @Test
    void kidOfUploadedFeaturesEqualsTheKidCommand(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Nd4j.getRandom().setSeed(11);
        INDArray real = Nd4j.randn(DataType.FLOAT, 300, 8);
        INDArray fake = Nd4j.randn(DataType.FLOAT, 250, 8).addi(0.3);
        KidOptions options = KidOptions.newBuilder().setSubsets(20).setSubsetSize(100).setSeed(7).build();

        KidResult service = EvaluatorCalls.kid(EvaluatorCalls.async(channel), options, real, fake);

        Path r = dir.resolve("real.npy");
        Path f = dir.resolve("fake.npy");
        NpyArrays.write(r, real);
        NpyArrays.write(f, fake);
        Path out = dir.resolve("out.json");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), MmdganCommand.class.getName(), "kid", "--real", r.toString(), "--fake",
                f.toString(), "--subsets", "20", "--subset-size", "100", "--seed", "7", "--json")
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        String json = Files.readString(out);
        assertThat(service.getMean()).as(json).isEqualTo(number(json, "kid_mean"));
        assertThat(service.getStd()).isEqualTo(number(json, "kid_std"));
        assertThat(service.getStderr()).isEqualTo(number(json, "kid_stderr"));
        assertThat(service.getSubsets()).isEqualTo(20);
        assertThat(service.getSubsetSize()).isEqualTo(100);
        assertThat(service.getNReal()).isEqualTo(300);
        assertThat(service.getNFake()).isEqualTo(250);
        assertThat(service.getFeatureDim()).isEqualTo(8);
        assertThat(service.getFeatureNetwork()).isEqualTo("uploaded");
        assertThat(service.getSeed()).isEqualTo(7);

        // The block estimator too, against a plain double loop over the blocks (one block here: 300 ≤ 1024 rows).
        KidResult blocks = EvaluatorCalls.kid(EvaluatorCalls.async(channel), KidOptions.newBuilder().setBlock(true).build(),
                real, real.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup());
        double[][] x = real.toDoubleMatrix();
        double[][] y = real.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10), org.nd4j.linalg.indexing.NDArrayIndex.all()).toDoubleMatrix();
        assertThat(blocks.getMean()).isCloseTo(plainMmd2(x, y), org.assertj.core.data.Offset.offset(1e-5));
    }

    /** Unbiased MMD² with the KID kernel (d = 3, γ = 1/dim, c = 1), as plain loops in double. */
    private static double plainMmd2(double[][] x, double[][] y) {
        int m = x.length;
        int n = y.length;
        double gamma = 1.0 / x[0].length;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    xx += Math.pow(gamma * dot(x[i], x[j]) + 1, 3);
                }
            }
            for (double[] b : y) {
                xy += Math.pow(gamma * dot(x[i], b) + 1, 3);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    yy += Math.pow(gamma * dot(y[i], y[j]) + 1, 3);
                }
            }
        }
        return xx / (m * (m - 1.0)) + yy / (n * (n - 1.0)) - 2 * xy / ((double) m * n);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([-0-9.eE]+)").matcher(json);
        assertThat(m.find()).as(key + " in " + json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void twoSampleTestEqualsMmdCore() throws Exception {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, 80, 2);
        INDArray y = Nd4j.randn(DataType.FLOAT, 60, 2).addi(1);
        TwoSampleTestResult service = EvaluatorCalls.stream(EvaluatorCalls.async(channel)::twoSampleTest, List.of(
                TwoSampleUpload.newBuilder().setOptions(TwoSampleOptions.newBuilder().setKernel(KernelSpec.newBuilder()
                        .setName("rbf-mix").addSigmas(0.5).addSigmas(1)).setPermutations(200).setSeed(3))
                        .setSet(SampleSet.SAMPLE_SET_REAL).setRows(EvaluatorCalls.tensor(x)).build(),
                TwoSampleUpload.newBuilder().setSet(SampleSet.SAMPLE_SET_FAKE).setRows(EvaluatorCalls.tensor(y)).build()));
        PermutationTestResult direct = new PermutationTest(Kernels.byName("rbf-mix", List.of(0.5, 1.0), List.of()), 200, 0.05)
                .test(x, y, 3);
        assertThat(service.getMmd2()).isEqualTo(direct.mmd2());
        assertThat(service.getPValue()).isEqualTo(direct.pValue());
        assertThat(service.getThreshold()).isEqualTo(direct.threshold());
        assertThat(service.getReject()).isTrue();
        assertThat(service.getNX()).isEqualTo(80);
        assertThat(service.getNY()).isEqualTo(60);
    }

    @Test
    void watchersSeeTheEvaluationsOfEveryReplicaOnce() throws Exception {
        String run = UUID.randomUUID().toString();
        List<Evaluation> watched = watch(run, 2);
        // What another evaluator replica publishes, for this run and for another one; the same event id every time.
        Evaluation other = Evaluation.newBuilder().setEvaluationId("elsewhere-" + run).setRunId(run).setGeneratorStep(700)
                .setKid(KidResult.newBuilder().setMean(1.5)).build();
        byte[] event = EvaluationCompleted.newBuilder().setHeader(EventIds.header(run, 700, "evaluation", "evaluator-service/replica-2"))
                .setEvaluation(other).build().toByteArray();
        String otherRun = UUID.randomUUID().toString();
        byte[] unrelated = EvaluationCompleted.newBuilder().setHeader(EventIds.header(otherRun, 700, "evaluation", "replica-2"))
                .setEvaluation(other.toBuilder().setRunId(otherRun)).build().toByteArray();
        // The watch feed joins its group at start; until it has its partitions, a record can pass unseen: publish again.
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (watched.isEmpty() && System.nanoTime() < deadline) {
            KafkaTopics.publish(kafka.bootstrapServers(), kafka.evaluationsTopic(), otherRun, List.of(unrelated));
            KafkaTopics.publish(kafka.bootstrapServers(), kafka.evaluationsTopic(), run, List.of(event));
            Thread.sleep(3000);
        }
        KafkaTopics.publish(kafka.bootstrapServers(), kafka.evaluationsTopic(), run, List.of(event));
        Thread.sleep(3000);
        assertThat(watched).as("the other replica's evaluation, once (repeats are dropped by event id)").containsExactly(other);
    }
}
