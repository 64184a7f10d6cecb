package dev.mmdgan.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.EvaluateCheckpointRequest;
import dev.mmdgan.api.v1.EvaluatorServiceGrpc;
import dev.mmdgan.api.v1.KernelSpec;
import dev.mmdgan.api.v1.KidOptions;
import dev.mmdgan.api.v1.KidUpload;
import dev.mmdgan.api.v1.ListEvaluationsRequest;
import dev.mmdgan.api.v1.SampleSet;
import dev.mmdgan.api.v1.Tensor;
import dev.mmdgan.api.v1.TwoSampleOptions;
import dev.mmdgan.api.v1.TwoSampleUpload;
import dev.mmdgan.api.v1.UploadKind;
import dev.mmdgan.api.v1.WatchEvaluationsRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Malformed requests to every EvaluatorService call over real gRPC, each answered INVALID_ARGUMENT, NOT_FOUND or
 * FAILED_PRECONDITION with a bounded message that names the field and what is allowed; the service stays healthy.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "evaluator-badrequest"))
class BadRequestTest {

    private static final int MAX_MESSAGE = 600;

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8085")
    int port;

    private ManagedChannel channel;

    /** A malformed call, the status it must get and a part of its message. */
    private record Call(String name, Status.Code code, String expected, Runnable call) {
    }

    @BeforeEach
    void connect() throws InterruptedException {
        EvaluatorCalls.awaitReady(port);
        channel = EvaluatorCalls.channel(port);
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    private static Tensor rows(int n, int d) {
        return EvaluatorCalls.tensor(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, d));
    }

    private static KidUpload real(Tensor t) {
        return KidUpload.newBuilder().setSet(SampleSet.SAMPLE_SET_REAL).setRows(t).build();
    }

    private static KidUpload fake(Tensor t) {
        return KidUpload.newBuilder().setSet(SampleSet.SAMPLE_SET_FAKE).setRows(t).build();
    }

    private static TwoSampleUpload x(Tensor t) {
        return TwoSampleUpload.newBuilder().setSet(SampleSet.SAMPLE_SET_REAL).setRows(t).build();
    }

    private static TwoSampleUpload y(Tensor t) {
        return TwoSampleUpload.newBuilder().setSet(SampleSet.SAMPLE_SET_FAKE).setRows(t).build();
    }

    private static TwoSampleUpload withOptions(TwoSampleUpload m, TwoSampleOptions.Builder o) {
        return m.toBuilder().setOptions(o).build();
    }

    private Runnable evaluate(EvaluateCheckpointRequest.Builder r) {
        return () -> EvaluatorCalls.blocking(channel).evaluateCheckpoint(r.build());
    }

    private Runnable kid(KidUpload... messages) {
        return () -> rethrow(() -> EvaluatorCalls.stream(EvaluatorCalls.async(channel)::computeKid, List.of(messages)));
    }

    private Runnable twoSample(TwoSampleUpload... messages) {
        return () -> rethrow(() -> EvaluatorCalls.stream(EvaluatorCalls.async(channel)::twoSampleTest, List.of(messages)));
    }

    private Runnable list(ListEvaluationsRequest.Builder r) {
        return () -> EvaluatorCalls.blocking(channel).listEvaluations(r.build());
    }

    private static void rethrow(java.util.concurrent.Callable<?> call) {
        try {
            call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static EvaluateCheckpointRequest.Builder at(String run, long step) {
        return EvaluateCheckpointRequest.newBuilder().setCheckpoint(CheckpointRef.newBuilder().setRunId(run).setGeneratorStep(step));
    }

    private List<Call> calls() {
        String run = UUID.randomUUID().toString();
        Status.Code bad = Status.Code.INVALID_ARGUMENT;
        List<Call> c = new ArrayList<>();
        c.add(new Call("no checkpoint", bad, "checkpoint is required", evaluate(EvaluateCheckpointRequest.newBuilder())));
        c.add(new Call("empty run id", bad, "checkpoint.run_id is required", evaluate(at("", 1))));
        c.add(new Call("run id with a path", bad, "checkpoint.run_id must be 1 to 64 letters", evaluate(at("../../etc", 1))));
        c.add(new Call("negative step", bad, "checkpoint.generator_step must be in [0, ", evaluate(at(run, -5))));
        c.add(new Call("too few samples for the relative test", bad, "n_samples must be in [200, 100000], got 10",
                evaluate(at(run, 1).setNSamples(10))));
        c.add(new Call("too many samples", bad, "n_samples must be in [200, 100000], got 1000000",
                evaluate(at(run, 1).setNSamples(1_000_000))));
        c.add(new Call("zero subsets", bad, "kid.subsets must be in [1, 10000], got 0",
                evaluate(at(run, 1).setKid(KidOptions.newBuilder().setSubsets(0)))));
        c.add(new Call("subset larger than the samples", bad, "kid.subset_size must be in [2, 400], got 500",
                evaluate(at(run, 1).setKid(KidOptions.newBuilder().setSubsetSize(500)))));
        c.add(new Call("block estimator for a checkpoint", bad, "kid.block is not available",
                evaluate(at(run, 1).setKid(KidOptions.newBuilder().setBlock(true)))));
        c.add(new Call("negative gamma", bad, "kid.gamma must be finite and > 0, got -1.0",
                evaluate(at(run, 1).setKid(KidOptions.newBuilder().setGamma(-1)))));
        c.add(new Call("no such checkpoint", Status.Code.NOT_FOUND, "no complete checkpoint of run " + run + " at step 7",
                evaluate(at(run, 7))));
        c.add(new Call("rows without a set", bad, "message 0: set must be SAMPLE_SET_REAL (real) or SAMPLE_SET_FAKE (fake)",
                kid(KidUpload.newBuilder().setRows(rows(5, 2)).build())));
        c.add(new Call("values do not fill the shape", bad, "message 0: rows has 3 values; shape [2, 2] needs 4",
                kid(real(Tensor.newBuilder().addShape(2).addShape(2).addValues(1).addValues(2).addValues(3).build()))));
        c.add(new Call("features of rank 3", bad, "message 0: rows.shape must have 2 dimensions",
                kid(real(Tensor.newBuilder().addShape(1).addShape(1).addShape(2).addValues(1).addValues(2).build()))));
        c.add(new Call("a NaN feature", bad, "message 0: rows.values[1] must be finite, got NaN",
                kid(real(Tensor.newBuilder().addShape(1).addShape(2).addValues(1).addValues(Float.NaN).build()))));
        c.add(new Call("sets of different dimensions", bad, "rows of both sets must have the same shape: real [2], fake [3]",
                kid(real(rows(10, 2)), fake(rows(10, 3)))));
        c.add(new Call("fewer real rows than the subset size", bad,
                "options.subset_size: the real set has 50 samples, fewer than the subset size 100; lower the subset size to at most 50",
                kid(real(rows(50, 2)).toBuilder().setOptions(KidOptions.newBuilder().setSubsetSize(100)).build(), fake(rows(200, 2)))));
        c.add(new Call("no fake rows", bad, "the fake set (SAMPLE_SET_FAKE) needs at least 2 rows, got 0", kid(real(rows(10, 2)))));
        c.add(new Call("options after the first message", bad, "message 1: options may only be set in the first message",
                kid(real(rows(10, 2)), fake(rows(10, 2)).toBuilder().setOptions(KidOptions.newBuilder().setSubsets(3)).build())));
        c.add(new Call("images without an image network", Status.Code.FAILED_PRECONDITION,
                "kind UPLOAD_KIND_IMAGES needs a feature network for images of shape [1, 4, 4]",
                kid(real(Tensor.newBuilder().addShape(1).addShape(1).addShape(4).addShape(4).addAllValues(java.util.Collections.nCopies(16, 0f)).build())
                        .toBuilder().setKind(UploadKind.UPLOAD_KIND_IMAGES).build())));
        c.add(new Call("unknown kernel", bad, "options.kernel.name: unknown kernel 'gauss'; allowed: rbf-mix",
                twoSample(withOptions(x(rows(10, 2)), TwoSampleOptions.newBuilder().setKernel(KernelSpec.newBuilder().setName("gauss"))),
                        y(rows(10, 2)))));
        c.add(new Call("laplace with two sigmas", bad, "options.kernel.sigmas: kernel 'laplace' takes one sigma, got 2",
                twoSample(withOptions(x(rows(10, 2)), TwoSampleOptions.newBuilder().setKernel(KernelSpec.newBuilder().setName("laplace")
                        .addSigmas(1).addSigmas(2))), y(rows(10, 2)))));
        c.add(new Call("zero permutations", bad, "options.permutations must be in [1, 10000], got 0",
                twoSample(withOptions(x(rows(10, 2)), TwoSampleOptions.newBuilder().setPermutations(0)), y(rows(10, 2)))));
        c.add(new Call("alpha out of range", bad, "options.alpha must be in (0, 1), got 1.5",
                twoSample(withOptions(x(rows(10, 2)), TwoSampleOptions.newBuilder().setAlpha(1.5)), y(rows(10, 2)))));
        c.add(new Call("too many rows for a permutation test", bad, "the two samples may hold at most 4096 rows together, got 5000",
                twoSample(x(rows(2500, 2)), y(rows(2500, 2)))));
        c.add(new Call("one-row sample", bad, "the Y set (SAMPLE_SET_FAKE) needs at least 2 rows, got 1",
                twoSample(x(rows(10, 2)), y(rows(1, 2)))));
        c.add(new Call("list without a run", bad, "run_id is required", list(ListEvaluationsRequest.newBuilder())));
        c.add(new Call("negative page size", bad, "page_size must be in [1, 500], got -1",
                list(ListEvaluationsRequest.newBuilder().setRunId(run).setPageSize(-1))));
        c.add(new Call("forged page token", bad, "page_token is not a token this service issued",
                list(ListEvaluationsRequest.newBuilder().setRunId(run).setPageToken("bm9wZQ"))));
        c.add(new Call("watch a malformed run id", bad, "run_id must be 1 to 64 letters",
                () -> EvaluatorCalls.blocking(channel).watchEvaluations(WatchEvaluationsRequest.newBuilder().setRunId("a b").build()).hasNext()));
        return c;
    }

    @Test
    void everyMalformedRequestIsRefusedWithItsFieldAndWhatIsAllowed() throws InterruptedException {
        List<Call> calls = calls();
        assertThat(calls).hasSizeGreaterThanOrEqualTo(15);
        for (Call c : calls) {
            assertThatThrownBy(c.call::run).as(c.name).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).as(c.name + ": " + e.getStatus()).isEqualTo(c.code);
                assertThat(e.getStatus().getDescription()).as(c.name).contains(c.expected).hasSizeLessThan(MAX_MESSAGE);
            });
        }
        EvaluatorCalls.awaitReady(port);
    }
}
