package dev.mmdgan.trainer.training;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the runs of the previous instance are back from the store (until then run calls answer UNAVAILABLE). */
@Readiness
@ApplicationScoped
public class RunsRecoveredCheck implements HealthCheck {

    @Inject
    RunManager runs;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("runs-recovered").status(runs.ready()).build();
    }
}
