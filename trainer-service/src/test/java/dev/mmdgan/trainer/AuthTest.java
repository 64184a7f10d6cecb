package dev.mmdgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.ListRunsRequest;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.StopRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
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
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With mmdgan.auth.token set, mutating calls need the bearer token; reads stay open. */
@QuarkusTest
@TestProfile(AuthTest.WithToken.class)
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "auth"))
class AuthTest {

    public static final class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mmdgan.auth.token", "s3cret-token");
        }
    }

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int port;

    @BeforeEach
    void ready() throws InterruptedException {
        TrainerCalls.awaitReady(port);
    }

    @Test
    void mutatingCallsNeedTheToken() {
        ManagedChannel channel = TrainerCalls.channel(port);
        try {
            var anonymous = TrainerCalls.trainer(channel);
            var request = StartRunRequest.newBuilder().setConfig(TrainerServiceTest.tinyRun(5)).build();
            assertThatThrownBy(() -> anonymous.startRun(request)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription()).contains("authorization: Bearer <token>");
            });
            assertThat(anonymous.listRuns(ListRunsRequest.getDefaultInstance()).getRunsCount()).isGreaterThanOrEqualTo(0);

            var wrong = anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer("guess")));
            assertThatThrownBy(() -> wrong.stopRun(StopRunRequest.newBuilder().setRunId("x").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

            var authorized = anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer("s3cret-token")));
            String id = authorized.startRun(request).getRunId();
            assertThat(id).isNotBlank();
            // RFC 6750: the scheme is case-insensitive.
            Metadata lower = new Metadata();
            lower.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "bearer s3cret-token");
            var lowerCase = anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(lower));
            assertThat(lowerCase.stopRun(StopRunRequest.newBuilder().setRunId(id).build()).getRunId()).isEqualTo(id);
        } finally {
            channel.shutdownNow();
        }
    }

    private static Metadata bearer(String token) {
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return m;
    }
}
