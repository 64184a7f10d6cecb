package dev.mmdgan.trainer;

import dev.mmdgan.service.metrics.ServiceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trainer's Prometheus metrics, on service-common's registry ({@code GET /metrics}): per run while it trains,
 * steps (a counter, so rate() gives steps/s), steps/s as measured, the last losses and both learning rates; failed
 * runs; checkpoint upload time and failures.
 */
@ApplicationScoped
public class TrainerMetrics {

    @Inject
    ServiceMetrics service;

    private MeterRegistry registry;
    private final Map<String, RunGauges> runs = new ConcurrentHashMap<>();
    private Timer uploads;
    private Counter uploadFailures;
    private Counter failedRuns;

    /** The latest values of one run, read by its gauges. */
    private static final class RunGauges {
        volatile double criticLoss = Double.NaN;
        volatile double generatorLoss = Double.NaN;
        volatile double lrGenerator = Double.NaN;
        volatile double lrCritic = Double.NaN;
        volatile double stepsPerSecond = Double.NaN;
        Counter steps;
        final List<Meter> meters = new ArrayList<>();
    }

    @PostConstruct
    void init() {
        registry = service.registry();
        uploads = Timer.builder("mmdgan_trainer_checkpoint_upload").description("Checkpoint upload time, retries included")
                .register(registry);
        failedRuns = Counter.builder("mmdgan_trainer_runs_failed").description("Runs that ended FAILED").register(registry);
        uploadFailures = Counter.builder("mmdgan_trainer_checkpoint_upload_failures").description("Failed upload attempts")
                .register(registry);
    }

    private RunGauges run(String runId) {
        return runs.computeIfAbsent(runId, id -> {
            RunGauges g = new RunGauges();
            g.meters.add(Gauge.builder("mmdgan_trainer_loss", g, x -> x.criticLoss).tags("run", id, "network", "critic")
                    .register(registry));
            g.meters.add(Gauge.builder("mmdgan_trainer_loss", g, x -> x.generatorLoss).tags("run", id, "network", "generator")
                    .register(registry));
            g.meters.add(Gauge.builder("mmdgan_trainer_learning_rate", g, x -> x.lrCritic).tags("run", id, "network", "critic")
                    .register(registry));
            g.meters.add(Gauge.builder("mmdgan_trainer_learning_rate", g, x -> x.lrGenerator).tags("run", id, "network", "generator")
                    .register(registry));
            g.meters.add(Gauge.builder("mmdgan_trainer_steps_per_second", g, x -> x.stepsPerSecond).tags("run", id).register(registry));
            g.steps = Counter.builder("mmdgan_trainer_steps").description("Generator steps trained").tags("run", id).register(registry);
            g.meters.add(g.steps);
            return g;
        });
    }

    /** One generator step of a run. */
    public void step(String runId, double criticLoss, double generatorLoss, double lrGenerator, double lrCritic) {
        RunGauges g = run(runId);
        g.steps.increment();
        g.criticLoss = criticLoss;
        g.generatorLoss = generatorLoss;
        g.lrGenerator = lrGenerator;
        g.lrCritic = lrCritic;
    }

    /** A run reached a final state: its per-run series go (Prometheus keeps what it scraped). */
    public void runEnded(String runId) {
        RunGauges g = runs.remove(runId);
        if (g != null) {
            g.meters.forEach(registry::remove);
        }
    }

    /** Whether a run has per-run series now. */
    public boolean hasRun(String runId) {
        return runs.containsKey(runId);
    }

    /** One run failed. */
    public void runFailed() {
        failedRuns.increment();
    }

    public void stepsPerSecond(String runId, double rate) {
        run(runId).stepsPerSecond = rate;
    }

    public void uploaded(Duration took) {
        uploads.record(took);
    }

    public void uploadFailed() {
        uploadFailures.increment();
    }
}
