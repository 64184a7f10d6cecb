package dev.mmdgan.trainer.api;

import dev.mmdgan.service.api.MutatingMethods;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** The TrainerService calls that need the bearer token when one is configured; reads stay open. */
@ApplicationScoped
public class TrainerMutatingMethods implements MutatingMethods {

    @Override
    public Set<String> fullMethodNames() {
        return Set.of("mmdgan.v1.TrainerService/StartRun", "mmdgan.v1.TrainerService/StopRun", "mmdgan.v1.TrainerService/ResumeRun");
    }
}
