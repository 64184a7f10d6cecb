package dev.mmdgan.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.GenerateRequest;
import dev.mmdgan.api.v1.GetModelRequest;
import dev.mmdgan.api.v1.InterpolateRequest;
import dev.mmdgan.api.v1.SamplerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Malformed requests over real gRPC, each answered with its status and a bounded message that names the field and
 * what is allowed; the service answers a good request and reports healthy afterwards.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "badrequest"))
class BadRequestTest {

    private static final int MAX_MESSAGE = 400;
    private static final String RUN = LocalInfra.PRELOADED_RUN;

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8083")
    int port;

    private record Call(String name, Status.Code code, String expected, Consumer<SamplerServiceGrpc.SamplerServiceBlockingStub> call) {
    }

    private static GenerateRequest.Builder gen() {
        return GenerateRequest.newBuilder().setRunId(RUN).setN(4).setSeed(1);
    }

    private static InterpolateRequest.Builder walk() {
        return InterpolateRequest.newBuilder().setRunId(RUN).setSeedFrom(1).setSeedTo(2).setSteps(5);
    }

    private static List<Call> calls() {
        return List.of(
                new Call("n = 0", Status.Code.INVALID_ARGUMENT, "n must be in [1, 1024] (mmdgan.sampler.max-samples); GenerateStream takes more, got 0",
                        s -> s.generate(gen().setN(0).build())),
                new Call("n < 0", Status.Code.INVALID_ARGUMENT, "n must be in [1, 1024]", s -> s.generate(gen().setN(-5).build())),
                new Call("n over the limit", Status.Code.INVALID_ARGUMENT, "n must be in [1, 1024] (mmdgan.sampler.max-samples); GenerateStream takes more, got 1025",
                        s -> s.generate(gen().setN(1025).build())),
                new Call("stream n over the limit", Status.Code.INVALID_ARGUMENT, "n must be in [1, 1000000] (mmdgan.sampler.max-stream-samples), got 1000001",
                        s -> s.generateStream(gen().setN(1_000_001).build()).hasNext()),
                new Call("seeds and n disagree", Status.Code.INVALID_ARGUMENT, "seeds must hold one seed per sample: n = 4 but 2 seeds",
                        s -> s.generate(gen().addSeeds(1).addSeeds(2).build())),
                new Call("truncation NaN", Status.Code.INVALID_ARGUMENT, "truncation must be a finite ψ > 0 (unset = none), got NaN",
                        s -> s.generate(gen().setTruncation(Double.NaN).build())),
                new Call("truncation negative", Status.Code.INVALID_ARGUMENT, "truncation must be a finite ψ > 0 (unset = none), got -1.0",
                        s -> s.generate(gen().setTruncation(-1).build())),
                new Call("truncation infinite", Status.Code.INVALID_ARGUMENT, "truncation must be a finite ψ > 0",
                        s -> s.generate(gen().setTruncation(Double.POSITIVE_INFINITY).build())),
                new Call("unknown format", Status.Code.INVALID_ARGUMENT, "format must be SAMPLE_FORMAT_RAW, SAMPLE_FORMAT_PNG_GRID or SAMPLE_FORMAT_NPY (unset = RAW), got 9",
                        s -> s.generate(gen().setFormatValue(9).build())),
                new Call("PNG grid of 2-D points", Status.Code.INVALID_ARGUMENT, "format SAMPLE_FORMAT_PNG_GRID needs an image model; preloaded@3 makes samples of shape [2]",
                        s -> s.generate(gen().setFormat(dev.mmdgan.api.v1.SampleFormat.SAMPLE_FORMAT_PNG_GRID).build())),
                new Call("no run id", Status.Code.INVALID_ARGUMENT, "run_id is required (this sampler has no mmdgan.sampler.default-run)",
                        s -> s.generate(gen().setRunId("").build())),
                new Call("a 10 KB run id", Status.Code.INVALID_ARGUMENT, "run_id must be 1 to 64 letters, digits, '-', '_' or '.'",
                        s -> s.generate(gen().setRunId("r".repeat(10_000)).build())),
                new Call("a path as run id", Status.Code.INVALID_ARGUMENT, "run_id must be 1 to 64 letters, digits, '-', '_' or '.', got '../../etc/passwd'",
                        s -> s.generate(gen().setRunId("../../etc/passwd").build())),
                new Call("unknown run", Status.Code.NOT_FOUND, "run_id: no run 'nope' with a checkpoint in the store",
                        s -> s.generate(gen().setRunId("nope").build())),
                new Call("unknown step", Status.Code.NOT_FOUND, "step: run 'preloaded' has no complete checkpoint at step 99",
                        s -> s.generate(gen().setStep(99).build())),
                new Call("negative step", Status.Code.INVALID_ARGUMENT, "step must be ≥ 0 (a generator step with a checkpoint), got -1",
                        s -> s.generate(gen().setStep(-1).build())),
                new Call("chunk_size on Generate", Status.Code.INVALID_ARGUMENT, "chunk_size is for GenerateStream only",
                        s -> s.generate(gen().setChunkSize(8).build())),
                new Call("chunk_size 0", Status.Code.INVALID_ARGUMENT, "chunk_size must be in [1, 1024] (unset = 256), got 0",
                        s -> s.generateStream(gen().setChunkSize(0).build()).hasNext()),
                new Call("interpolation with 1 step", Status.Code.INVALID_ARGUMENT, "steps must be in [2, 256] (end points included), got 1",
                        s -> s.interpolate(walk().setSteps(1).build())),
                new Call("interpolation with 257 steps", Status.Code.INVALID_ARGUMENT, "steps must be in [2, 256] (end points included), got 257",
                        s -> s.interpolate(walk().setSteps(257).build())),
                new Call("unknown path", Status.Code.INVALID_ARGUMENT, "path must be INTERPOLATION_PATH_LINEAR or INTERPOLATION_PATH_SLERP (unset = SLERP), got 7",
                        s -> s.interpolate(walk().setPathValue(7).build())),
                new Call("NaN latent", Status.Code.INVALID_ARGUMENT, "latent_from must hold finite values; latent_from[1] is NaN",
                        s -> s.interpolate(walk().addLatentFrom(0).addLatentFrom(Float.NaN).addLatentTo(0).addLatentTo(0).build())),
                new Call("one latent end point", Status.Code.INVALID_ARGUMENT, "latent_from and latent_to go together: got 2 and 0 values",
                        s -> s.interpolate(walk().addLatentFrom(0).addLatentFrom(1).build())),
                new Call("latent of the wrong length", Status.Code.INVALID_ARGUMENT, "latent_from must hold noise_dim = ",
                        s -> s.interpolate(walk().addLatentFrom(0).addLatentTo(1).build())),
                new Call("GetModel of an unknown run", Status.Code.NOT_FOUND, "run_id: no run 'ghost' with a checkpoint in the store",
                        s -> s.getModel(GetModelRequest.newBuilder().setRunId("ghost").build())),
                new Call("GetModel without run", Status.Code.INVALID_ARGUMENT, "run_id is required",
                        s -> s.getModel(GetModelRequest.getDefaultInstance())),
                new Call("a request over the message limit", Status.Code.RESOURCE_EXHAUSTED, "the request is ",
                        s -> s.interpolate(walk().setRunId("x".repeat(5 << 20)).build())));
    }

    @Test
    void malformedRequestsGetTheirStatusAndAPreciseBoundedMessage() throws Exception {
        SamplerCalls.awaitReady(port);
        ManagedChannel channel = SamplerCalls.channel(port);
        try {
            SamplerServiceGrpc.SamplerServiceBlockingStub stub = SamplerCalls.sampler(channel);
            List<Call> calls = calls();
            assertThat(calls).hasSizeGreaterThanOrEqualTo(15);
            for (Call c : calls) {
                assertThatThrownBy(() -> c.call().accept(stub)).as(c.name()).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).as(c.name() + ": " + e.getStatus()).isEqualTo(c.code());
                    assertThat(e.getStatus().getDescription()).as(c.name()).startsWith(c.expected());
                    assertThat(e.getStatus().getDescription().length()).as(c.name()).isLessThanOrEqualTo(MAX_MESSAGE);
                });
            }
            // Still serving, and healthy.
            assertThat(stub.generate(gen().build()).getSamples().getShapeList()).containsExactly(4L, 2L);
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/q/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        } finally {
            channel.shutdownNow();
        }
    }
}
