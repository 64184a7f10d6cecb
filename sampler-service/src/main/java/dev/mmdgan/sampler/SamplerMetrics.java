package dev.mmdgan.sampler;

import dev.mmdgan.service.metrics.ServiceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The sampler's Prometheus metrics ({@code GET /metrics}): samples made, generator calls and their rows and time,
 * queued samples, requests refused for overload, swaps and rejected checkpoints, and the step served per run.
 */
@ApplicationScoped
public class SamplerMetrics {

    @Inject
    ServiceMetrics service;

    private MeterRegistry registry;
    private Counter samples;
    private Counter overloaded;
    private Counter swaps;
    private Counter rejected;
    private DistributionSummary batchRows;
    private DistributionSummary batchRequests;
    private Timer batchTime;
    private final Map<String, AtomicLong> servedSteps = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        registry = service.registry();
        samples = Counter.builder("mmdgan_sampler_samples").description("Samples generated").register(registry);
        overloaded = Counter.builder("mmdgan_sampler_overloaded").description("Requests refused with RESOURCE_EXHAUSTED (queue full)")
                .register(registry);
        swaps = Counter.builder("mmdgan_sampler_swaps").description("Models swapped in").register(registry);
        rejected = Counter.builder("mmdgan_sampler_rejected_checkpoints")
                .description("Checkpoints that failed to download, verify or load").register(registry);
        batchRows = DistributionSummary.builder("mmdgan_sampler_batch_rows").description("Rows of each generator call")
                .register(registry);
        batchRequests = DistributionSummary.builder("mmdgan_sampler_batch_requests").description("Requests merged into each generator call")
                .register(registry);
        batchTime = Timer.builder("mmdgan_sampler_batch").description("Time of each generator call").register(registry);
    }

    /** The gauge of queued samples reads {@code queued}. */
    public void queue(Supplier<Number> queued) {
        Gauge.builder("mmdgan_sampler_queued_samples", queued, q -> q.get().doubleValue()).description("Samples waiting")
                .register(registry);
    }

    public void batch(int requests, int rows, long nanos) {
        batchRows.record(rows);
        batchRequests.record(requests);
        batchTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void samples(int n) {
        samples.increment(n);
    }

    public void overloaded() {
        overloaded.increment();
    }

    public void swapped(String runId, long step) {
        swaps.increment();
        servedSteps.computeIfAbsent(runId, id -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("mmdgan_sampler_served_step", v, AtomicLong::doubleValue).tags("run", id).register(registry);
            return v;
        }).set(step);
    }

    public void rejected() {
        rejected.increment();
    }

    /** Samples generated so far (tests read it). */
    public double samplesCount() {
        return samples.count();
    }

    /** Checkpoints rejected so far (tests read it). */
    public double rejectedCount() {
        return rejected.count();
    }

    /** Requests refused for a full queue so far (tests read it). */
    public double overloadedCount() {
        return overloaded.count();
    }
}
