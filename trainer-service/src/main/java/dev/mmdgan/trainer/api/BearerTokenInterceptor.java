package dev.mmdgan.trainer.api;

import dev.mmdgan.trainer.TrainerConfig;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * When {@code mmdgan.auth.token} is set, mutating calls (StartRun, StopRun, ResumeRun) need the metadata
 * {@code authorization: Bearer <token>}; otherwise they are answered UNAUTHENTICATED. Reads stay open.
 */
@ApplicationScoped
@GlobalInterceptor
public class BearerTokenInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> MUTATING = Set.of("mmdgan.v1.TrainerService/StartRun", "mmdgan.v1.TrainerService/StopRun",
            "mmdgan.v1.TrainerService/ResumeRun");

    @Inject
    TrainerConfig config;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        var token = config.auth().token();
        if (token.isPresent() && MUTATING.contains(call.getMethodDescriptor().getFullMethodName())) {
            String given = headers.get(AUTHORIZATION);
            String expected = "Bearer " + token.get();
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
                call.close(Status.UNAUTHENTICATED.withDescription(given == null
                        ? "this call needs the metadata 'authorization: Bearer <token>'" : "the bearer token is not valid"), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
        }
        return next.startCall(call, headers);
    }
}
