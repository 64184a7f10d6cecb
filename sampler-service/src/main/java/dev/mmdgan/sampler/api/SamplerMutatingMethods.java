package dev.mmdgan.sampler.api;

import dev.mmdgan.service.api.MutatingMethods;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** SamplerService only reads: no call needs the bearer token unless configuration asks for it on reads too. */
@ApplicationScoped
public class SamplerMutatingMethods implements MutatingMethods {

    @Override
    public Set<String> fullMethodNames() {
        return Set.of();
    }
}
