package dev.mmdgan.evaluator.dashboard;

import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.DecisionKind;
import dev.mmdgan.api.v1.EvaluationCompleted;
import dev.mmdgan.api.v1.EventHeader;
import dev.mmdgan.api.v1.Evaluation;
import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.RunStateChanged;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.api.v1.TrainingMetricsReported;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the dashboard knows of each run, built from the platform's events in whatever order the topics deliver them:
 * state, step, throughput and learning rates, and bounded series of training metrics, KID and learning-rate decisions.
 * Every event is idempotent here (points are keyed by step, decisions by step), so a replay or a repeated delivery
 * changes nothing. Thread-safe; the views it returns are immutable copies.
 */
public final class RunBoard {

    /** Training metrics of one reported step. */
    public record MetricPoint(long step, double criticLoss, double generatorLoss, double mmd2, double lrGenerator,
                              double lrCritic, double stepsPerSecond) {
    }

    /** One evaluation: KID mean ± standard error, the relative test's p-value (NaN before the window is full). */
    public record KidPoint(long step, double mean, double stderr, double std, double pValue, String decision,
                           String pictureKey, String featureNetwork) {
    }

    /** A learning-rate decision of the evaluator. */
    public record DecisionMark(long step, String decisionId, String kind, double factor, double pValue, long previousStep) {
    }

    /** A run at a glance, as the run selector shows it. */
    public record RunSummary(String runId, String state, String reason, long step, double stepsPerSecond,
                             double etaSeconds, double lrGenerator, double lrCritic, KidPoint lastKid, int evaluations,
                             int decays, long lastCheckpointStep, long pictureStep, long updatedMillis) {
    }

    /** A run with its series, oldest point first. */
    public record RunDetail(RunSummary summary, List<MetricPoint> metrics, List<KidPoint> kid,
                            List<DecisionMark> decisions) {
    }

    private final int maxPoints;
    private final int maxRuns;
    /** In first-seen order; the run updated longest ago goes first when there are too many. */
    private final Map<String, Track> runs = new LinkedHashMap<>();
    private long seen;

    public RunBoard(int maxPoints, int maxRuns) {
        if (maxRuns < 1) {
            throw new IllegalArgumentException("maxRuns must be at least 1, got " + maxRuns);
        }
        new BoundedSeries<>(maxPoints); // validates maxPoints
        this.maxPoints = maxPoints;
        this.maxRuns = maxRuns;
    }

    public synchronized void onRunState(RunStateChanged e) {
        Track t = track(e.getHeader());
        t.state = e.getState();
        t.reason = e.getReason();
    }

    /** Records the metrics point of the event's step and returns it. */
    public synchronized MetricPoint onMetrics(TrainingMetricsReported e) {
        TrainingMetrics m = e.getMetrics();
        Track t = track(e.getHeader());
        long step = m.getGeneratorStep() > 0 ? m.getGeneratorStep() : e.getHeader().getGeneratorStep();
        MetricPoint p = new MetricPoint(step, m.getLosses().getCriticLoss(), m.getLosses().getGeneratorLoss(),
                m.getLosses().getMmd2(), m.getLrGenerator(), m.getLrCritic(), m.getStepsPerSecond());
        t.metrics.put(step, p);
        if (step >= t.metricsStep) { // the newest report tells the current rates and throughput
            t.metricsStep = step;
            t.lrGenerator = m.getLrGenerator();
            t.lrCritic = m.getLrCritic();
            t.stepsPerSecond = m.getStepsPerSecond();
            t.etaSeconds = m.getEtaSeconds();
            t.metricsState = m.getState();
        }
        t.advance(step);
        return p;
    }

    public synchronized void onCheckpoint(CheckpointPublished e) {
        Track t = track(e.getHeader());
        long step = e.getCheckpoint().getGeneratorStep();
        t.lastCheckpointStep = Math.max(t.lastCheckpointStep, step);
        t.advance(step);
    }

    /** Records the evaluation's KID point and returns it; a failed evaluation (no KID) draws no point: null. */
    public synchronized KidPoint onEvaluation(EvaluationCompleted e) {
        Evaluation ev = e.getEvaluation();
        Track t = track(e.getHeader());
        long step = ev.getGeneratorStep();
        if (!ev.getFailure().isEmpty()) {
            t.advance(step);
            return null;
        }
        KidPoint p = new KidPoint(step, ev.getKid().getMean(), ev.getKid().getStderr(), ev.getKid().getStd(),
                ev.hasRelativeTest() ? ev.getRelativeTest().getPValue() : Double.NaN, kind(ev.getDecision()),
                ev.getPictureKey(), ev.getKid().getFeatureNetwork());
        if (t.kid.put(step, p)) {
            t.evaluations++;
        }
        if (ev.getDecision() == DecisionKind.DECISION_KIND_DECAY) {
            t.decaySteps.add(step);
        }
        t.advance(step);
        return p;
    }

    /** Records the decision and returns it. */
    public synchronized DecisionMark onDecision(LearningRateDecision e) {
        Track t = track(e.getHeader());
        long step = e.getHeader().getGeneratorStep();
        DecisionMark d = new DecisionMark(step, e.getDecisionId(), kind(e.getKind()), e.getFactor(),
                e.hasRelativeTest() ? e.getRelativeTest().getPValue() : Double.NaN, e.getRelativeTest().getPreviousStep());
        t.decisions.put(step, d);
        if (e.getKind() == DecisionKind.DECISION_KIND_DECAY) {
            t.decaySteps.add(step);
        }
        return d;
    }

    /** Every run, the one seen first last (newest runs on top). */
    public synchronized List<RunSummary> summaries() {
        List<Track> tracks = new ArrayList<>(runs.values());
        tracks.sort(Comparator.comparingLong((Track t) -> t.firstSeen).reversed());
        return tracks.stream().map(Track::summary).toList();
    }

    public synchronized Optional<RunSummary> summary(String runId) {
        return Optional.ofNullable(runs.get(runId)).map(Track::summary);
    }

    public synchronized Optional<RunDetail> detail(String runId) {
        Track t = runs.get(runId);
        return t == null ? Optional.empty()
                : Optional.of(new RunDetail(t.summary(), t.metrics.values(), t.kid.values(), t.decisions.values()));
    }

    /** The store key of the newest evaluation picture of a run, if any. */
    public synchronized Optional<String> pictureKey(String runId) {
        Track t = runs.get(runId);
        return Optional.ofNullable(t).map(Track::latestPicture).map(KidPoint::pictureKey);
    }

    private Track track(EventHeader header) {
        String runId = header.getRunId();
        if (runId.isEmpty()) {
            throw new IllegalArgumentException("event " + header.getEventId() + " names no run (header.run_id is empty)");
        }
        Track t = runs.remove(runId); // re-inserted last: the map's head is the run updated longest ago
        if (t == null) {
            t = new Track(runId, seen++, maxPoints);
            while (runs.size() >= maxRuns) {
                runs.remove(runs.keySet().iterator().next());
            }
        }
        runs.put(runId, t);
        if (header.hasTimestamp()) {
            long millis = header.getTimestamp().getSeconds() * 1000 + header.getTimestamp().getNanos() / 1_000_000;
            t.updatedMillis = Math.max(t.updatedMillis, millis);
        }
        return t;
    }

    /** DECISION_KIND_DECAY → "DECAY". */
    private static String kind(DecisionKind k) {
        return k == DecisionKind.UNRECOGNIZED ? "UNKNOWN" : k.name().replace("DECISION_KIND_", "");
    }

    private static String state(RunState s) {
        return s == RunState.UNRECOGNIZED ? "UNKNOWN" : s.name().replace("RUN_STATE_", "");
    }

    /** One run's mutable state, guarded by the board's lock. */
    private static final class Track {
        final String runId;
        final long firstSeen;
        final BoundedSeries<MetricPoint> metrics;
        final BoundedSeries<KidPoint> kid;
        final BoundedSeries<DecisionMark> decisions;
        final TreeSet<Long> decaySteps = new TreeSet<>();
        RunState state = RunState.RUN_STATE_UNSPECIFIED;
        RunState metricsState = RunState.RUN_STATE_UNSPECIFIED;
        String reason = "";
        long step;
        long metricsStep = -1;
        double lrGenerator = Double.NaN;
        double lrCritic = Double.NaN;
        double stepsPerSecond = Double.NaN;
        double etaSeconds = Double.NaN;
        long lastCheckpointStep = -1;
        int evaluations;
        long updatedMillis;

        Track(String runId, long firstSeen, int maxPoints) {
            this.runId = runId;
            this.firstSeen = firstSeen;
            metrics = new BoundedSeries<>(maxPoints);
            kid = new BoundedSeries<>(maxPoints);
            decisions = new BoundedSeries<>(maxPoints);
        }

        void advance(long s) {
            step = Math.max(step, s);
        }

        /** The newest KID point with a picture, or null. */
        KidPoint latestPicture() {
            List<KidPoint> points = kid.values();
            for (int i = points.size() - 1; i >= 0; i--) {
                if (!points.get(i).pictureKey().isEmpty()) {
                    return points.get(i);
                }
            }
            return null;
        }

        RunSummary summary() {
            // A state change event is authoritative; the metrics' state only fills in when none was seen.
            RunState shown = state != RunState.RUN_STATE_UNSPECIFIED ? state : metricsState;
            KidPoint lastKid = kid.last();
            KidPoint picture = latestPicture();
            long pictureStep = picture == null ? -1 : picture.step();
            return new RunSummary(runId, state(shown), reason, step, stepsPerSecond, etaSeconds, lrGenerator, lrCritic,
                    lastKid, evaluations, decaySteps.size(), lastCheckpointStep, pictureStep, updatedMillis);
        }
    }
}
