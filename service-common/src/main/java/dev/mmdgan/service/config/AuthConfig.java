package dev.mmdgan.service.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Access to a service's mutating calls ({@code mmdgan.auth.*}, environment {@code MMDGAN_AUTH_TOKEN}). */
@ConfigMapping(prefix = "mmdgan.auth")
public interface AuthConfig {

    /** Bearer token the mutating calls need; unset = open (a warning is logged). */
    Optional<String> token();
}
