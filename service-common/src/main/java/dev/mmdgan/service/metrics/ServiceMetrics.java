package dev.mmdgan.service.metrics;

import dev.mmdgan.service.config.ServiceConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The service's Prometheus registry, served at {@code GET /metrics}; every series carries the tag
 * {@code service} (the service's name). Services register their own meters on {@link #registry()}.
 */
@ApplicationScoped
public class ServiceMetrics {

    @Inject
    ServiceConfig service;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @PostConstruct
    void init() {
        registry.config().commonTags("service", service.name());
    }

    void routes(@Observes Router router) {
        router.get("/metrics").handler(rc -> rc.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape()));
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Something was thrown in background work ({@code where}: the thread's role), after it was logged. */
    public void backgroundError(String where) {
        Counter.builder("mmdgan_background_errors").description("Errors in background work, by thread").tags("thread", where)
                .register(registry).increment();
    }
}
