package dev.mmdgan.sampler.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.sampler.SamplerConfig;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reads are open unless configuration asks for the token on every call. */
@Timeout(10)
class SamplerMutatingMethodsTest {

    private static SamplerMutatingMethods methods(boolean requireToken) {
        SamplerMutatingMethods m = new SamplerMutatingMethods();
        m.config = (SamplerConfig) Proxy.newProxyInstance(SamplerConfig.class.getClassLoader(), new Class<?>[] {SamplerConfig.class},
                (proxy, method, args) -> method.getName().equals("requireTokenForReads") ? requireToken : null);
        return m;
    }

    @Test
    void openByDefaultAndEveryCallWhenConfigured() {
        assertThat(methods(false).fullMethodNames()).isEmpty();
        assertThat(methods(true).fullMethodNames()).containsExactlyInAnyOrder("mmdgan.v1.SamplerService/Generate",
                "mmdgan.v1.SamplerService/GenerateStream", "mmdgan.v1.SamplerService/Interpolate", "mmdgan.v1.SamplerService/GetModel");
    }
}
