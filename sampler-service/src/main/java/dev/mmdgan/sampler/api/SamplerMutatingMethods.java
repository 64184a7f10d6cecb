package dev.mmdgan.sampler.api;

import dev.mmdgan.api.v1.SamplerServiceGrpc;
import dev.mmdgan.sampler.SamplerConfig;
import dev.mmdgan.service.api.MutatingMethods;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * SamplerService only reads: no call needs the bearer token unless {@code mmdgan.sampler.require-token-for-reads}
 * asks for it on every call.
 */
@ApplicationScoped
public class SamplerMutatingMethods implements MutatingMethods {

    @Inject
    SamplerConfig config;

    @Override
    public Set<String> fullMethodNames() {
        if (!config.requireTokenForReads()) {
            return Set.of();
        }
        return SamplerServiceGrpc.getServiceDescriptor().getMethods().stream()
                .map(m -> ((io.grpc.MethodDescriptor<?, ?>) m).getFullMethodName()).collect(Collectors.toSet());
    }
}
