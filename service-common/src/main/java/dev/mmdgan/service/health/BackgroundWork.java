package dev.mmdgan.service.health;

import dev.mmdgan.service.metrics.ServiceMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * A service's long-lived background threads (event sender, topic consumers, recovery). Whatever one of them throws is
 * logged, counted ({@code mmdgan_background_errors_total}) and makes the service not live (/q/health/live), so that
 * an orchestrator restarts it instead of leaving it silently half-working.
 */
@ApplicationScoped
public class BackgroundWork {

    private static final Logger LOG = Logger.getLogger(BackgroundWork.class);

    @Inject
    ServiceMetrics metrics;

    private final Map<String, String> died = new ConcurrentHashMap<>();

    /** Starts {@code body} on a daemon thread named {@code name}. */
    public Thread start(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                LOG.errorf(e, "background thread %s died", name);
                metrics.backgroundError(name);
                died.put(name, e.toString());
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Liveness: down, naming the threads and their errors, once a background thread died. */
    @Liveness
    @ApplicationScoped
    public static class Check implements HealthCheck {

        @Inject
        BackgroundWork work;

        @Override
        public HealthCheckResponse call() {
            var response = HealthCheckResponse.named("background-threads").status(work.died.isEmpty());
            work.died.forEach(response::withData);
            return response.build();
        }
    }
}
