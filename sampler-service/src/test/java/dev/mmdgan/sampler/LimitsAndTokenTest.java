package dev.mmdgan.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.GenerateRequest;
import dev.mmdgan.api.v1.GenerateResponse;
import dev.mmdgan.api.v1.GetModelRequest;
import dev.mmdgan.api.v1.SamplerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Over real gRPC, with a small queue and the token required for reads: a burst beyond the queue gets
 * RESOURCE_EXHAUSTED saying why (and nothing else fails), the service stays healthy and serves the next request; calls
 * without the right token get UNAUTHENTICATED, with it they are served.
 */
@QuarkusTest
@TestProfile(LimitsAndTokenTest.SmallQueueWithToken.class)
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "sampler-limits"))
class LimitsAndTokenTest {

    static final String TOKEN = "sampler-s3cret";
    /** Room for four requests of {@link #N} samples. */
    static final int QUEUE = 200;
    static final int N = 50;

    public static final class SmallQueueWithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Batches wait up to 2 s for more rows, so a burst finds the queue still full.
            return Map.of("mmdgan.auth.token", TOKEN, "mmdgan.sampler.require-token-for-reads", "true",
                    "mmdgan.sampler.max-queued-samples", Integer.toString(QUEUE),
                    "mmdgan.sampler.batching.max-delay", "PT2S", "mmdgan.sampler.batching.max-batch", "1024");
        }
    }

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8083")
    int port;

    @Inject
    SamplerMetrics metrics;

    private ManagedChannel channel;
    private SamplerServiceGrpc.SamplerServiceBlockingStub anonymous;
    private SamplerServiceGrpc.SamplerServiceBlockingStub authorized;

    @BeforeEach
    void connect() throws InterruptedException {
        SamplerCalls.awaitReady(port);
        channel = SamplerCalls.channel(port);
        anonymous = SamplerCalls.sampler(channel);
        authorized = anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(TOKEN)));
    }

    @AfterEach
    void disconnect() {
        channel.shutdownNow();
    }

    private static Metadata bearer(String token) {
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return m;
    }

    private static GenerateRequest request(int seed) {
        return GenerateRequest.newBuilder().setRunId(LocalInfra.PRELOADED_RUN).setN(N).setSeed(seed).build();
    }

    @Test
    void readsNeedTheTokenWhenConfiguredSo() {
        GetModelRequest model = GetModelRequest.newBuilder().setRunId(LocalInfra.PRELOADED_RUN).build();
        assertThatThrownBy(() -> anonymous.getModel(model)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(e.getStatus().getDescription()).contains("authorization: Bearer <token>");
        });
        var wrong = anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer("guess")));
        assertThatThrownBy(() -> wrong.generate(request(1))).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(authorized.getModel(model).getCheckpoint().getGeneratorStep()).isEqualTo(LocalInfra.PRELOADED_STEP);
    }

    @Test
    void aBurstBeyondTheQueueIsRefusedWithWhyAndTheServiceServesOn() throws Exception {
        double refusedBefore = metrics.overloadedCount();
        int clients = 16;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<GenerateResponse>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                int seed = 100 * i;
                calls.add(pool.submit(() -> {
                    go.await();
                    return authorized.withDeadlineAfter(60, TimeUnit.SECONDS).generate(request(seed));
                }));
            }
            go.countDown();
            int served = 0;
            List<Status> refused = new ArrayList<>();
            for (Future<GenerateResponse> call : calls) {
                try {
                    assertThat(call.get(90, TimeUnit.SECONDS).getSeedsCount()).isEqualTo(N);
                    served++;
                } catch (java.util.concurrent.ExecutionException e) {
                    refused.add(Status.fromThrowable(e.getCause()));
                }
            }
            // At most four requests fit; the rest are refused at once, each saying which limit and how full.
            assertThat(served).isBetween(1, QUEUE / N);
            assertThat(refused).hasSize(clients - served).allSatisfy(s -> {
                assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(s.getDescription()).contains("limit of " + QUEUE + " queued samples")
                        .contains("mmdgan.sampler.max-queued-samples").contains("retry later");
            });
            assertThat(metrics.overloadedCount() - refusedBefore)
                    .isEqualTo(clients - served);
        } finally {
            pool.shutdownNow();
        }
        // Healthy afterwards: ready, and the next request is served.
        SamplerCalls.awaitReady(port);
        assertThat(authorized.withDeadlineAfter(60, TimeUnit.SECONDS).generate(request(7)).getSeedsCount()).isEqualTo(N);
    }
}
