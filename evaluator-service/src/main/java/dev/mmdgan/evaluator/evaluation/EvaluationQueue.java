package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.CheckpointRef;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The checkpoints waiting for an evaluation, and the worker that evaluates them one at a time.
 *
 * <p>Events arrive at least once and in any order. Each is classified (and counted in
 * {@code mmdgan_evaluator_checkpoints_total{outcome}}):
 * <ul>
 *   <li>{@code duplicate}: its event id was seen (here, or counted in the run's saved progress);</li>
 *   <li>{@code stale}: its step is not newer than the run's last evaluated step or the run's waiting checkpoint;</li>
 *   <li>{@code skipped-frequency}: only every k-th new checkpoint of a run is evaluated ({@code evaluate-every}), or, for
 *       a run that set its own {@code evaluation_every}, the checkpoints at multiples of it;</li>
 *   <li>{@code superseded}: a run has at most one waiting checkpoint, the newest; an older waiting one is replaced
 *       (the relative test compares evaluations, not steps, so skipping one only widens the gap);</li>
 *   <li>{@code rejected-queue-full}: {@code queue-capacity} runs are already waiting; the checkpoint is refused with
 *       an error in the log (the run's next checkpoint is accepted once a slot is free);</li>
 *   <li>{@code queued}.</li>
 * </ul>
 * Runs are served in the order they started waiting, so a busy run cannot starve the others.
 */
public final class EvaluationQueue {

    private static final Logger LOG = Logger.getLogger(EvaluationQueue.class);
    private static final int REMEMBERED_IDS = 100_000;

    /** What became of a submitted checkpoint. */
    public enum Outcome {
        QUEUED, SUPERSEDED, DUPLICATE, STALE, SKIPPED_FREQUENCY, REJECTED_QUEUE_FULL;

        String metric() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    record Pending(CheckpointRef checkpoint, String eventId, RunPolicy policy) {
    }

    private final Evaluations evaluations;
    private final EvaluationMetrics metrics;
    private final int capacity;
    private final int every;
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    private final Set<String> seen = new LinkedHashSet<>();
    private final Map<String, Long> accepted = new HashMap<>();
    private volatile boolean running = true;
    private volatile boolean busy;

    public EvaluationQueue(Evaluations evaluations, EvaluationMetrics metrics) {
        this.evaluations = evaluations;
        this.metrics = metrics;
        this.capacity = evaluations.settings().queueCapacity();
        this.every = evaluations.settings().evaluateEvery();
        io.micrometer.core.instrument.Gauge.builder("mmdgan_evaluator_queued", this, EvaluationQueue::size)
                .description("Runs waiting for an evaluation").register(metrics.registry());
    }

    /** Classifies and maybe queues a published checkpoint; never blocks on an evaluation. */
    public Outcome submit(CheckpointPublished event) throws InterruptedException {
        Outcome o = classify(event);
        metrics.checkpoint(o.metric());
        return o;
    }

    private Outcome classify(CheckpointPublished event) throws InterruptedException {
        CheckpointRef ref = event.getCheckpoint();
        String run = ref.getRunId();
        String id = event.getHeader().getEventId();
        RunPolicy policy = RunPolicy.of(event, evaluations.settings());
        RunProgress progress;
        try {
            progress = evaluations.progress(run, policy.rule());
        } catch (java.io.UncheckedIOException e) { // store away: queue it; the evaluation checks again
            LOG.warnf("run %s: its saved progress cannot be read now (%s); the checkpoint is queued unchecked", run, e.getMessage());
            progress = RunProgress.start(policy.rule());
        }
        synchronized (this) {
            if (!id.isEmpty() && (seen.contains(id) || progress.counted(id))) {
                return Outcome.DUPLICATE;
            }
            Pending waiting = pending.get(run);
            if (ref.getGeneratorStep() <= progress.lastStep()
                    || waiting != null && ref.getGeneratorStep() <= waiting.checkpoint().getGeneratorStep()) {
                LOG.infof("run %s: checkpoint at step %d is not newer than the last evaluated (%d) or waiting one; ignored",
                        run, ref.getGeneratorStep(), progress.lastStep());
                remember(id);
                return Outcome.STALE;
            }
            boolean skipped = policy.evaluationEvery() == RunPolicy.SERVICE_FREQUENCY
                    ? (accepted.merge(run, 1L, Long::sum) - 1) % every != 0
                    : !policy.picks(ref.getGeneratorStep());
            if (skipped) {
                remember(id);
                return Outcome.SKIPPED_FREQUENCY;
            }
            if (waiting == null && pending.size() >= capacity) {
                LOG.errorf("evaluation queue full (%d runs waiting): checkpoint of run %s at step %d is not evaluated; the "
                        + "run's next checkpoint is accepted once a slot is free", capacity, run, ref.getGeneratorStep());
                return Outcome.REJECTED_QUEUE_FULL;
            }
            remember(id);
            if (waiting != null) {
                LOG.infof("run %s: checkpoint at step %d replaces the waiting one at step %d", run, ref.getGeneratorStep(),
                        waiting.checkpoint().getGeneratorStep());
                pending.put(run, new Pending(ref, id, policy)); // keeps the run's place in line
                return Outcome.SUPERSEDED;
            }
            pending.put(run, new Pending(ref, id, policy));
            notifyAll();
            return Outcome.QUEUED;
        }
    }

    private void remember(String id) {
        if (!id.isEmpty() && seen.add(id) && seen.size() > REMEMBERED_IDS) {
            seen.remove(seen.iterator().next());
        }
    }

    /** Runs waiting. */
    public synchronized int size() {
        return pending.size();
    }

    /** Whether nothing waits and nothing is being evaluated. */
    public synchronized boolean idle() {
        return pending.isEmpty() && !busy;
    }

    private synchronized Pending take() throws InterruptedException {
        while (pending.isEmpty()) {
            wait();
        }
        Iterator<Map.Entry<String, Pending>> first = pending.entrySet().iterator();
        Pending p = first.next().getValue();
        first.remove();
        busy = true;
        return p;
    }

    /** The worker: evaluates waiting checkpoints until {@link #close()}; a failed evaluation is logged and reported. */
    public void run() {
        while (running) {
            Pending p;
            try {
                p = take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                evaluations.evaluate(evaluations.forEvent(p.checkpoint(), p.eventId(), p.policy()));
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) { // counted by Evaluations; reported here, and the worker goes on
                LOG.errorf(t, "evaluation of run %s at step %d failed", p.checkpoint().getRunId(),
                        p.checkpoint().getGeneratorStep());
                evaluations.reportFailure(p.checkpoint(), t);
            } finally {
                synchronized (this) {
                    busy = false;
                }
            }
        }
    }

    public void close() {
        running = false;
    }
}
