package dev.mmdgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.ListRunsRequest;
import dev.mmdgan.api.v1.ResumeRunRequest;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.StopRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import dev.mmdgan.api.v1.WatchRunRequest;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed requests over real gRPC: every StartRun config of {@link MalformedRunConfigs} and the malformed fields of
 * the other calls, each answered with its status and a bounded message that names the field and what is allowed.
 * Nothing is queued, and the service stays healthy.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "badrequest"))
class BadRequestTest {

    /** Longest message any refusal may carry: user text is echoed as a short prefix only. */
    private static final int MAX_MESSAGE = 600;

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int port;

    private ManagedChannel channel;
    private TrainerServiceGrpc.TrainerServiceBlockingStub trainer;

    /** A call of the API with a malformed request, the status it must get and the start of its message. */
    private record Call(String name, Status.Code code, String expected, Consumer<TrainerServiceGrpc.TrainerServiceBlockingStub> call) {
    }

    @BeforeEach
    void connect() throws InterruptedException {
        TrainerCalls.awaitReady(port);
        channel = TrainerCalls.channel(port);
        trainer = TrainerCalls.trainer(channel);
    }

    @AfterEach
    void disconnect() {
        channel.shutdownNow();
    }

    private static Call start(String expected, RunConfig config) {
        return new Call("StartRun " + expected, Status.Code.INVALID_ARGUMENT, expected,
                t -> t.startRun(StartRunRequest.newBuilder().setConfig(config).build()));
    }

    private static List<Call> otherCalls() {
        String longId = "r".repeat(10_000);
        return List.of(
                new Call("StartRun without config", Status.Code.INVALID_ARGUMENT, "config is required",
                        t -> t.startRun(StartRunRequest.getDefaultInstance())),
                new Call("StartRun with a long idempotency key", Status.Code.INVALID_ARGUMENT,
                        "idempotency_key must be at most 128 characters, got 129", t -> t.startRun(StartRunRequest.newBuilder()
                                .setConfig(TrainerServiceTest.tinyRun(10)).setIdempotencyKey("k".repeat(129)).build())),
                new Call("GetRun without id", Status.Code.INVALID_ARGUMENT, "run_id is required",
                        t -> t.getRun(GetRunRequest.getDefaultInstance())),
                new Call("GetRun with a 10 KB id", Status.Code.INVALID_ARGUMENT, "run_id must be 1 to 64 letters, digits",
                        t -> t.getRun(GetRunRequest.newBuilder().setRunId(longId).build())),
                new Call("GetRun with a path as id", Status.Code.INVALID_ARGUMENT, "run_id must be 1 to 64 letters, digits",
                        t -> t.getRun(GetRunRequest.newBuilder().setRunId("../../etc/passwd").build())),
                new Call("GetRun of an unknown run", Status.Code.NOT_FOUND, "no run with id 'nope'",
                        t -> t.getRun(GetRunRequest.newBuilder().setRunId("nope").build())),
                new Call("StopRun with a 10 KB id", Status.Code.INVALID_ARGUMENT, "run_id must be 1 to 64 letters, digits",
                        t -> t.stopRun(StopRunRequest.newBuilder().setRunId(longId).build())),
                new Call("StopRun of an unknown run", Status.Code.NOT_FOUND, "no run with id",
                        t -> t.stopRun(StopRunRequest.newBuilder().setRunId("00000000-0000-0000-0000-000000000000").build())),
                new Call("ResumeRun without id", Status.Code.INVALID_ARGUMENT, "run_id is required",
                        t -> t.resumeRun(ResumeRunRequest.newBuilder().setSteps(10).build())),
                new Call("ResumeRun of an unknown run", Status.Code.NOT_FOUND, "no run with id 'x'",
                        t -> t.resumeRun(ResumeRunRequest.newBuilder().setRunId("x").setSteps(10).build())),
                new Call("WatchRun with a 10 KB id", Status.Code.INVALID_ARGUMENT, "run_id must be 1 to 64 letters, digits",
                        t -> t.watchRun(WatchRunRequest.newBuilder().setRunId(longId).build()).hasNext()),
                new Call("WatchRun of an unknown run", Status.Code.NOT_FOUND, "no run with id 'nope'",
                        t -> t.watchRun(WatchRunRequest.newBuilder().setRunId("nope").build()).hasNext()),
                new Call("ListRuns with page_size 501", Status.Code.INVALID_ARGUMENT, "page_size must be in [1, 500] (0 = 50), got 501",
                        t -> t.listRuns(ListRunsRequest.newBuilder().setPageSize(501).build())),
                new Call("ListRuns with page_size -1", Status.Code.INVALID_ARGUMENT, "page_size must be in [1, 500] (0 = 50), got -1",
                        t -> t.listRuns(ListRunsRequest.newBuilder().setPageSize(-1).build())),
                new Call("ListRuns with a forged page token", Status.Code.INVALID_ARGUMENT, "page_token is not a token this service issued",
                        t -> t.listRuns(ListRunsRequest.newBuilder().setPageToken("bm90OmE6dG9rZW4").build())),
                new Call("ListRuns with an unknown state", Status.Code.INVALID_ARGUMENT, "states[0] must be a run state",
                        t -> t.listRuns(ListRunsRequest.newBuilder().addStatesValue(77).build())),
                new Call("StartRun over the message limit", Status.Code.RESOURCE_EXHAUSTED, "",
                        t -> t.startRun(StartRunRequest.newBuilder().setConfig(TrainerServiceTest.tinyRun(10)
                                .setDisplayName("x".repeat(5 << 20))).build())));
    }

    @Test
    void malformedRequestsGetTheirStatusAndAPreciseBoundedMessage() throws Exception {
        int runsBefore = trainer.listRuns(ListRunsRequest.newBuilder().setPageSize(500).build()).getRunsCount();
        List<Call> calls = new ArrayList<>();
        for (MalformedRunConfigs.Case c : MalformedRunConfigs.cases(LocalInfra.dataRoot())) {
            calls.add(start(c.expectedPrefix(), c.change().apply(TrainerServiceTest.tinyRun(10)).build()));
        }
        calls.addAll(otherCalls());
        assertThat(calls).hasSizeGreaterThanOrEqualTo(64);
        for (Call c : calls) {
            assertThatThrownBy(() -> c.call().accept(trainer)).as(c.name()).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).as(c.name() + ": " + e.getStatus()).isEqualTo(c.code());
                String message = e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription();
                assertThat(message).as(c.name()).startsWith(c.expected()).hasSizeLessThan(MAX_MESSAGE);
                if (c.code() == Status.Code.RESOURCE_EXHAUSTED) {
                    assertThat(message).as(c.name()).isNotBlank();
                }
            });
        }
        // Nothing was queued, and the service is still healthy and answering.
        assertThat(trainer.listRuns(ListRunsRequest.newBuilder().setPageSize(500).build()).getRunsCount()).isEqualTo(runsBefore);
        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        var health = grpc.health.v1.HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .check(grpc.health.v1.HealthOuterClass.HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus.SERVING);
    }
}
