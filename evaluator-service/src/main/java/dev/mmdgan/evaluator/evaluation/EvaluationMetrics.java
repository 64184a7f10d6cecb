package dev.mmdgan.evaluator.evaluation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The evaluator's Prometheus series, on any Micrometer registry (the service's, or a simple one in tests):
 * <ul>
 *   <li>{@code mmdgan_evaluator_evaluations_total{outcome=completed|failed}} and the evaluation time;</li>
 *   <li>{@code mmdgan_evaluator_failures_total{reason}}: why evaluations failed (no-feature-network, not-found, store,
 *       error);</li>
 *   <li>{@code mmdgan_evaluator_checkpoints_total{outcome}}: what became of each checkpoint event (queued, duplicate,
 *       stale, skipped-frequency, superseded, rejected-queue-full);</li>
 *   <li>{@code mmdgan_evaluator_decisions_total{kind}}: learning-rate decisions published;</li>
 *   <li>{@code mmdgan_evaluator_state_save_failures_total}: a run's rule state that could not be saved (retried at
 *       the next evaluation).</li>
 * </ul>
 */
public final class EvaluationMetrics {

    private final MeterRegistry registry;
    private final Timer duration;

    public EvaluationMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duration = Timer.builder("mmdgan_evaluator_evaluation").description("Wall time of an evaluation").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    void completed(Duration took) {
        counter("mmdgan_evaluator_evaluations", "outcome", "completed").increment();
        duration.record(took);
    }

    void failed(String reason) {
        counter("mmdgan_evaluator_evaluations", "outcome", "failed").increment();
        counter("mmdgan_evaluator_failures", "reason", reason).increment();
    }

    void checkpoint(String outcome) {
        counter("mmdgan_evaluator_checkpoints", "outcome", outcome).increment();
    }

    void decision(String kind) {
        counter("mmdgan_evaluator_decisions", "kind", kind).increment();
    }

    void stateSaveFailed() {
        counter("mmdgan_evaluator_state_save_failures", null, null).increment();
    }

    /** The value of a counter (0 if it was never incremented); for tests and the health report. */
    public double count(String name, String tag, String value) {
        Counter c = tag == null ? registry.find(name).counter() : registry.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    private Counter counter(String name, String tag, String value) {
        Counter.Builder b = Counter.builder(name);
        if (tag != null) {
            b.tags(tag, value);
        }
        return b.register(registry);
    }
}
