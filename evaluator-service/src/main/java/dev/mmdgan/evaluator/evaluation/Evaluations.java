package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.DecisionKind;
import dev.mmdgan.api.v1.Evaluation;
import dev.mmdgan.api.v1.EvaluationCompleted;
import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.api.v1.Provenance;
import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.relative.DecayConfig;
import dev.mmdgan.core.relative.DecayDecision;
import dev.mmdgan.core.relative.LearningRateDecayScheduler;
import dev.mmdgan.engine.BuildInfo;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.evaluator.storage.EvaluationStore;
import dev.mmdgan.service.Timestamps;
import dev.mmdgan.service.api.ApiErrors;
import dev.mmdgan.service.events.EventIds;
import dev.mmdgan.service.events.EventPublisher;
import dev.mmdgan.service.storage.CheckpointStore;
import dev.mmdgan.service.storage.Retry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Evaluates checkpoints of runs, for the event loop and the API alike: download (manifest verified), score
 * ({@link CheckpointScorer}), feed the run's learning-rate rule, store the evaluation and its picture, publish
 * EvaluationCompleted and, for every test, a LearningRateDecision, then save the rule's state.
 *
 * <p>Exactly once: the evaluations of one run are serialised; a run's rule advances only after everything else
 * succeeded (a failure leaves it as it was); evaluation and decision ids are derived from (run, step), and the noise
 * and subsets are fixed, so an evaluation repeated after a crash publishes the same decision with the same id, which
 * the trainer applies once.
 */
public final class Evaluations {

    private static final Logger LOG = Logger.getLogger(Evaluations.class);

    /** The topics evaluations and decisions go to. */
    public record Topics(String evaluations, String decisions) {
    }

    /**
     * One evaluation to make.
     *
     * @param relative feed the run's learning-rate rule (only for a step newer than the last one fed)
     * @param eventId  the checkpoint event that asked for it, remembered so that a repeat is not counted; may be empty
     * @param rule     the learning-rate rule, should the run have none yet (a run keeps the rule it started with)
     */
    public record Request(CheckpointRef checkpoint, int samples, KidConfig kid, boolean relative, String eventId,
                          DecayConfig rule) {
    }

    private final CheckpointStore checkpoints;
    private final EvaluationStore store;
    private final CheckpointScorer scorer;
    private final EventPublisher events;
    private final Topics topics;
    private final EvaluationSettings settings;
    private final EvaluationMetrics metrics;
    private final Retry retry;
    private final Path workDir;
    private final Map<String, RunProgress> progress = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public Evaluations(CheckpointStore checkpoints, EvaluationStore store, CheckpointScorer scorer, EventPublisher events,
                       Topics topics, EvaluationSettings settings, EvaluationMetrics metrics, Retry retry, Path workDir) {
        this.checkpoints = checkpoints;
        this.store = store;
        this.scorer = scorer;
        this.events = events;
        this.topics = topics;
        this.settings = settings;
        this.metrics = metrics;
        this.retry = retry;
        this.workDir = workDir;
    }

    public EvaluationSettings settings() {
        return settings;
    }

    /** The request the event loop makes for a published checkpoint: the configured sizes, the run's rule fed. */
    public Request forEvent(CheckpointRef checkpoint, String eventId, RunPolicy policy) {
        return new Request(checkpoint, settings.samples(), settings.kid(), policy.decay(), eventId, policy.rule());
    }

    /**
     * Evaluates one checkpoint. A step already fed to the rule returns its stored evaluation; a repeated event id
     * returns empty.
     *
     * @throws ApiErrors.NotFound             when the store has no complete checkpoint there
     * @throws FeatureSource.Unavailable      when no feature network serves the checkpoint's data set
     */
    public Optional<Evaluation> evaluate(Request r) throws InterruptedException {
        String run = r.checkpoint().getRunId();
        long step = r.checkpoint().getGeneratorStep();
        synchronized (locks.computeIfAbsent(run, k -> new Object())) {
            RunProgress before = progress(run, r.rule());
            if (!r.eventId().isEmpty() && before.counted(r.eventId())) {
                metrics.checkpoint("duplicate");
                return Optional.empty();
            }
            if (step <= before.lastStep()) {
                Optional<Evaluation> stored = patiently("read evaluation", () -> store.find(run, step));
                if (stored.isPresent()) {
                    return stored;
                }
            }
            boolean feed = r.relative() && step > before.lastStep();
            if (r.relative() && !feed) {
                LOG.infof("run %s: step %d is older than the last evaluated step %d; KID only, no relative test", run, step,
                        before.lastStep());
            }
            long started = System.nanoTime();
            try {
                // A checkpoint event moves the run's progress on (its step and event id) even when the rule is off.
                boolean advance = feed || !r.eventId().isEmpty() && step > before.lastStep();
                Evaluation e = evaluate(r, before, feed, advance);
                metrics.completed(Duration.ofNanos(System.nanoTime() - started));
                return Optional.of(e);
            } catch (ApiErrors.NotFound e) {
                metrics.failed("not-found");
                throw e;
            } catch (FeatureSource.Unavailable e) {
                metrics.failed("no-feature-network");
                throw e;
            } catch (UncheckedIOException e) {
                metrics.failed("store");
                throw e;
            } catch (RuntimeException | Error e) {
                metrics.failed("error");
                throw e;
            }
        }
    }

    private Evaluation evaluate(Request r, RunProgress before, boolean feed, boolean advance) throws InterruptedException {
        String run = r.checkpoint().getRunId();
        long step = r.checkpoint().getGeneratorStep();
        long started = System.nanoTime();
        CheckpointStore.Stored described = describe(run, step);
        CheckpointScorer.Scored scored = score(run, step, r, feed);

        DecayDecision decision = null;
        LearningRateDecayScheduler fed = null;
        if (feed) {
            fed = before.nextScheduler();
            decision = fed.observe(step, scored.sums());
        }
        String evaluationId = EventIds.id(run, step, "evaluation");
        Evaluation.Builder e = Evaluation.newBuilder().setEvaluationId(evaluationId).setRunId(run).setGeneratorStep(step)
                .setCheckpoint(described.ref()).setKid(Protos.kid(scored.kid(), scored.featureNetwork(), r.kid()))
                .setCreatedAt(Timestamps.now())
                .setProvenance(Provenance.newBuilder().setCodeVersion(BuildInfo.codeVersion()).setGitCommit(BuildInfo.gitCommit())
                        .setDataset(scored.provenance().dataset()).setDatasetSha256(scored.provenance().datasetSha256())
                        .setConfigSha256(scored.provenance().configSha256()).setProducer(events.producer())
                        .setCreatedAt(Timestamps.now()));
        if (decision != null) {
            e.setDecision(Protos.kind(decision.kind()));
            if (decision.test() != null) {
                e.setRelativeTest(Protos.test(decision.test(), decision.previousStep()));
            }
        }
        if (scored.picture() != null) {
            patiently("store picture", () -> {
                store.savePicture(run, step, scored.picture());
                return null;
            });
            e.setPictureKey(EvaluationStore.pictureKey(run, step));
        }
        Evaluation evaluation = e.setDurationMs((System.nanoTime() - started) / 1_000_000).build();
        patiently("store evaluation", () -> {
            store.save(evaluation);
            return null;
        });
        events.publish(topics.evaluations(), run, EvaluationCompleted.newBuilder()
                .setHeader(EventIds.header(run, step, "evaluation", events.producer())).setEvaluation(evaluation).build());
        if (decision != null && decision.kind() != DecayDecision.Kind.WARMUP) {
            publishDecision(evaluation, decision, fed.config());
        }
        if (advance) {
            RunProgress after = before.after(feed ? fed : before.nextScheduler(), step, r.eventId());
            progress.put(run, after); // from here on this step counts, whether or not the save below succeeds
            try {
                patiently("save rule state", () -> {
                    store.saveProgress(run, after.save());
                    return null;
                });
            } catch (UncheckedIOException ex) {
                metrics.stateSaveFailed();
                LOG.errorf("run %s: the learning-rate rule's state after step %d could not be saved (%s); the next "
                        + "evaluation saves it again", run, step, ex.getMessage());
            }
        }
        LOG.infof("run %s step %d: %s = %.6g ± %.2g%s (%d ms: %s)", run, step, "kid@" + scored.featureNetwork(),
                scored.kid().mean(), scored.kid().stderr(), decision == null ? "" : ", " + decision.kind()
                        + (decision.test() == null ? "" : String.format(" (p = %.3g)", decision.test().pValue())),
                evaluation.getDurationMs(), scored.timings());
        return evaluation;
    }

    private void publishDecision(Evaluation evaluation, DecayDecision decision, DecayConfig rule) {
        String run = evaluation.getRunId();
        long step = evaluation.getGeneratorStep();
        String decisionId = EventIds.id(run, step, "lr-decision");
        LearningRateDecision d = LearningRateDecision.newBuilder()
                .setHeader(EventIds.header(run, step, "lr-decision", events.producer())).setDecisionId(decisionId)
                .setKind(Protos.kind(decision.kind()))
                .setFactor(decision.kind() == DecayDecision.Kind.DECAY ? rule.decayFactor() : 1.0)
                .setFloor(rule.floor()).setRelativeTest(evaluation.getRelativeTest())
                .setEvaluationId(evaluation.getEvaluationId()).build();
        events.publish(topics.decisions(), run, d);
        metrics.decision(decision.kind().name().toLowerCase());
        if (decision.kind() == DecayDecision.Kind.DECAY) {
            LOG.infof("run %s step %d: DECAY by %s (decision %s)", run, step, d.getFactor(), decisionId);
        }
    }

    private CheckpointStore.Stored describe(String run, long step) throws InterruptedException {
        String prefix = CheckpointStore.checkpointPrefix(run, step);
        List<String> names = patiently("list checkpoint", () -> checkpoints.list(prefix));
        if (!names.contains(prefix + Checkpoints.MANIFEST)) {
            throw new ApiErrors.NotFound("no complete checkpoint of run " + run + " at step " + step + " in the store");
        }
        return patiently("describe checkpoint", () -> checkpoints.describe(run, step));
    }

    private CheckpointScorer.Scored score(String run, long step, Request r, boolean relative) throws InterruptedException {
        Path dir;
        try {
            Files.createDirectories(workDir);
            dir = Files.createTempDirectory(workDir, "checkpoint-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a download folder under " + workDir, e);
        }
        try {
            Path checkpoint = dir.resolve("checkpoint");
            patiently("download checkpoint", () -> checkpoints.download(run, step, checkpoint));
            return scorer.score(checkpoint, r.samples(), r.kid(), relative ? settings.relativeSamples() : 0,
                    "run " + run + ", step " + step);
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * Tells the evaluations topic that a checkpoint could not be evaluated (an {@link Evaluation} with
     * {@code failure} set and no KID); the metrics counted it already.
     */
    public void reportFailure(CheckpointRef checkpoint, Throwable cause) {
        String run = checkpoint.getRunId();
        long step = checkpoint.getGeneratorStep();
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        Evaluation failed = Evaluation.newBuilder().setEvaluationId(EventIds.id(run, step, "evaluation-failed")).setRunId(run)
                .setGeneratorStep(step).setCheckpoint(checkpoint).setCreatedAt(Timestamps.now()).setFailure(message).build();
        events.publish(topics.evaluations(), run, EvaluationCompleted.newBuilder()
                .setHeader(EventIds.header(run, step, "evaluation-failed", events.producer())).setEvaluation(failed).build());
    }

    /** The rule's progress of a run, read from the store the first time. */
    public RunProgress progress(String run) throws InterruptedException {
        return progress(run, settings.decay());
    }

    /** The rule's progress of a run; a run with none saved starts with {@code rule}. */
    public RunProgress progress(String run, DecayConfig rule) throws InterruptedException {
        RunProgress p = progress.get(run);
        if (p != null) {
            return p;
        }
        Optional<byte[]> saved = patiently("read rule state", () -> store.progress(run));
        p = saved.map(RunProgress::restore).orElseGet(() -> RunProgress.start(rule));
        RunProgress raced = progress.putIfAbsent(run, p);
        return raced != null ? raced : p;
    }

    private <T> T patiently(String what, Retry.Attempt<T> attempt) throws InterruptedException {
        long deadline = System.nanoTime() + settings.storePatience().toNanos();
        RuntimeException[] permanent = new RuntimeException[1]; // bad data is not retried: only the store's failures are
        T result = retry.until(() -> {
            try {
                return attempt.run();
            } catch (IllegalArgumentException | ApiErrors.NotFound e) {
                permanent[0] = e;
                return null;
            }
        }, () -> System.nanoTime() < deadline,
                e -> LOG.warnf("%s failed (retrying for up to %s): %s", what, settings.storePatience(), e.getMessage()));
        if (permanent[0] != null) {
            throw permanent[0];
        }
        return result;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("cannot delete %s: %s", dir, e.getMessage());
        }
    }
}
