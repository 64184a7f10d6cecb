package dev.mmdgan.sampler.model;

import dev.mmdgan.service.api.ApiErrors;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The runs the sampler serves and their models: a run's model loads on its first request (its checkpoints listed
 * once from the store), then follows the run's {@link ServingPolicy} as checkpoint and evaluation events arrive: the
 * new choice is loaded, verified and warmed in the background and swapped in atomically, while requests already
 * running finish on the model they leased. A checkpoint that fails is rejected and reported; the old model keeps
 * serving.
 */
public final class ModelRegistry {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);
    /** First-request loads tried before giving up (each failure rejects one checkpoint). */
    private static final int FIRST_LOAD_TRIES = 3;

    /** The store's view of checkpoints. */
    public interface CheckpointIndex {
        /** Steps of the run's complete checkpoints (empty for an unknown run). */
        List<Long> steps(String runId) throws Exception;
    }

    /** Hears of swaps and rejections (metrics, events, logs). */
    public interface Listener {
        void swapped(ServedModel model, RunServing run, RunServing.Served served);

        void rejected(String runId, long step, Throwable why);
    }

    /** A model leased for one request: close it when the request is done with it. */
    public record Lease(ServedModel model, RunServing run, Optional<RunServing.Served> served) implements AutoCloseable {
        @Override
        public void close() {
            model.release();
        }
    }

    private final ModelCache cache;
    private final CheckpointIndex index;
    private final Function<String, ServingPolicy> policies;
    private final Executor background;
    private final Listener listener;
    private final Clock clock;
    private final Map<String, RunServing> runs = new ConcurrentHashMap<>();

    public ModelRegistry(ModelCache cache, CheckpointIndex index, Function<String, ServingPolicy> policies, Executor background,
                         Listener listener, Clock clock) {
        this.cache = cache;
        this.index = index;
        this.policies = policies;
        this.background = background;
        this.listener = listener;
        this.clock = clock;
    }

    private RunServing run(String runId) {
        return runs.computeIfAbsent(runId, id -> new RunServing(id, policies.apply(id)));
    }

    /** The run's state, if the sampler has heard of it. */
    public Optional<RunServing> find(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    /** The run's served model, loading it on the run's first request. */
    public Lease acquire(String runId) {
        RunServing run = run(runId);
        list(run);
        for (int attempt = 0; attempt < FIRST_LOAD_TRIES; attempt++) {
            Optional<RunServing.Served> served = run.served();
            if (served.isPresent()) {
                ServedModel m = load(runId, served.get().step());
                return new Lease(m, run, run.served());
            }
            Optional<ServingPolicy.Choice> choice = run.target();
            if (choice.isEmpty()) {
                throw new ApiErrors.FailedPrecondition("run_id '" + runId + "': every checkpoint the policy "
                        + run.policy().label() + " could serve was rejected (see the sampler's log)");
            }
            long step = choice.get().step();
            ServedModel m;
            try {
                m = cache.acquire(runId, step);
            } catch (ModelCache.CheckpointMissing e) {
                if (run.policy() instanceof ServingPolicy.Pinned) {
                    throw new ApiErrors.NotFound("run_id '" + runId + "' has no checkpoint at its pinned step " + step);
                }
                reject(run, step, e);
                continue;
            } catch (Exception e) {
                reject(run, step, e);
                continue;
            }
            if (run.swapped(step, clock.instant())) {
                listener.swapped(m, run, run.served().orElseThrow());
            }
            if (run.served().map(s -> s.step() == step).orElse(false)) {
                return new Lease(m, run, run.served());
            }
            m.release(); // an event moved the target meanwhile: take the served one
        }
        throw new ApiErrors.Unavailable("run_id '" + runId + "': no checkpoint could be loaded in " + FIRST_LOAD_TRIES
                + " tries (see the sampler's log)");
    }

    /** The model of the run's checkpoint at {@code step}, whatever the policy serves. */
    public Lease acquire(String runId, long step) {
        ServedModel m = load(runId, step);
        return new Lease(m, runs.getOrDefault(runId, new RunServing(runId, policies.apply(runId))), Optional.empty());
    }

    private ServedModel load(String runId, long step) {
        try {
            return cache.acquire(runId, step);
        } catch (ModelCache.CheckpointMissing e) {
            throw new ApiErrors.NotFound("step: run '" + runId + "' has no complete checkpoint at step " + step);
        } catch (Exception e) {
            LOG.errorf(e, "cannot load the checkpoint of run %s at step %d", runId, step);
            throw new ApiErrors.FailedPrecondition("the checkpoint of run '" + runId + "' at step " + step
                    + " cannot be served: " + e.getMessage());
        }
    }

    private void list(RunServing run) {
        if (run.isListed()) {
            return;
        }
        List<Long> steps;
        try {
            steps = index.steps(run.runId());
        } catch (Exception e) {
            throw new ApiErrors.Unavailable("the object store cannot list the checkpoints of run '" + run.runId() + "' now ("
                    + e.getMessage() + "); retry later");
        }
        if (steps.isEmpty() && run.target().isEmpty()) {
            runs.remove(run.runId(), run); // unknown ids leave nothing behind
            throw new ApiErrors.NotFound("run_id: no run '" + run.runId() + "' with a checkpoint in the store");
        }
        run.listed(steps);
    }

    /** A new checkpoint of a run (event): swapped in when the run's policy now chooses it. */
    public void checkpointPublished(String runId, long step) {
        RunServing run = run(runId);
        run.checkpoint(step);
        scheduleSwap(run);
    }

    /** An evaluation's KID (event): under {@code best} it may move what is served. */
    public void evaluated(String runId, long step, double kid) {
        RunServing run = run(runId);
        run.evaluated(step, kid);
        scheduleSwap(run);
    }

    private void scheduleSwap(RunServing run) {
        run.nextSwap().ifPresent(choice -> background.execute(() -> swapIn(run, choice.step())));
    }

    /** Download, verify, load and warm in the background, then swap if still chosen. */
    private void swapIn(RunServing run, long step) {
        try {
            ServedModel m = cache.acquire(run.runId(), step);
            try {
                Generator g = m.generator();
                g.generate(new float[g.noiseDim()], 1); // warm: the first graph call allocates its workspace
                if (run.swapped(step, clock.instant())) {
                    LOG.infof("run %s: now serving step %d (%s)", run.runId(), step, run.policy().label());
                    listener.swapped(m, run, run.served().orElseThrow());
                }
            } finally {
                m.release();
            }
        } catch (Throwable e) {
            reject(run, step, e);
        } finally {
            run.loadEnded(step);
            scheduleSwap(run);
        }
    }

    private void reject(RunServing run, long step, Throwable why) {
        run.rejected(step);
        LOG.errorf("run %s: checkpoint at step %d rejected, the previous model keeps serving: %s", run.runId(), step, why.toString());
        listener.rejected(run.runId(), step, why);
    }

    public ModelCache cache() {
        return cache;
    }
}
