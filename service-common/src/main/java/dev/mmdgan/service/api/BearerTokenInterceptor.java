package dev.mmdgan.service.api;

import dev.mmdgan.service.config.AuthConfig;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jboss.logging.Logger;

/**
 * When {@code mmdgan.auth.token} is set, the service's mutating calls (its {@link MutatingMethods}) need the metadata
 * {@code authorization: Bearer <token>} (the scheme in any case, RFC 6750); otherwise they are answered
 * UNAUTHENTICATED. Reads stay open. The token is compared in constant time and never logged.
 */
@ApplicationScoped
@GlobalInterceptor
public class BearerTokenInterceptor implements ServerInterceptor {

    private static final Logger LOG = Logger.getLogger(BearerTokenInterceptor.class);
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String SCHEME = "bearer ";

    @Inject
    AuthConfig config;

    @Inject
    MutatingMethods mutating;

    /**
     * An empty {@code MMDGAN_AUTH_TOKEN=} reads as "no token" to the configuration, which would silently leave the
     * service open: refuse to start instead.
     */
    void checkToken(@Observes StartupEvent event) {
        String env = System.getenv("MMDGAN_AUTH_TOKEN");
        String property = System.getProperty("mmdgan.auth.token");
        if ((env != null && env.isBlank()) || (property != null && property.isBlank())) {
            throw new IllegalStateException("MMDGAN_AUTH_TOKEN (mmdgan.auth.token) is set but empty: set a token, or unset "
                    + "the variable to run without authentication");
        }
        if (config.token().isEmpty()) {
            LOG.warnf("no bearer token is configured (MMDGAN_AUTH_TOKEN): %s are open to anyone who can reach this port",
                    mutating.fullMethodNames());
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        var token = config.token();
        if (token.isPresent() && mutating.fullMethodNames().contains(call.getMethodDescriptor().getFullMethodName())) {
            String given = headers.get(AUTHORIZATION);
            if (given == null || !given.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
                return refuse(call, "this call needs the metadata 'authorization: Bearer <token>'");
            }
            byte[] presented = given.substring(SCHEME.length()).strip().getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(presented, token.get().getBytes(StandardCharsets.UTF_8))) {
                return refuse(call, "the bearer token is not valid");
            }
        }
        return next.startCall(call, headers);
    }

    /** Whether mutating calls need a token (for the health report). */
    public boolean enabled() {
        return config.token().isPresent();
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String why) {
        call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
