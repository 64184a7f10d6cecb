package dev.mmdgan.evaluator.dashboard;

import dev.mmdgan.evaluator.dashboard.RunBoard.DecisionMark;
import dev.mmdgan.evaluator.dashboard.RunBoard.KidPoint;
import dev.mmdgan.evaluator.dashboard.RunBoard.MetricPoint;
import dev.mmdgan.evaluator.dashboard.RunBoard.RunDetail;
import dev.mmdgan.evaluator.dashboard.RunBoard.RunSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * The board's views as JSON, the same shapes in snapshots and in live updates. Numbers that are not finite (a KID
 * standard error of one subset, a p-value before the window is full) become null, since JSON has no NaN.
 */
final class DashboardJson {

    private DashboardJson() {
    }

    static JsonObject runs(List<RunSummary> runs) {
        return new JsonObject().put("runs", array(runs, DashboardJson::summary));
    }

    static JsonObject detail(RunDetail d) {
        return new JsonObject()
                .put("run", summary(d.summary()))
                .put("metrics", array(d.metrics(), DashboardJson::metric))
                .put("kid", array(d.kid(), DashboardJson::kid))
                .put("decisions", array(d.decisions(), DashboardJson::decision));
    }

    static JsonObject summary(RunSummary s) {
        return new JsonObject()
                .put("runId", s.runId())
                .put("state", s.state())
                .put("reason", s.reason())
                .put("step", s.step())
                .put("stepsPerSecond", number(s.stepsPerSecond()))
                .put("etaSeconds", number(s.etaSeconds()))
                .put("lrGenerator", number(s.lrGenerator()))
                .put("lrCritic", number(s.lrCritic()))
                .put("lastKid", s.lastKid() == null ? null : kid(s.lastKid()))
                .put("evaluations", s.evaluations())
                .put("decays", s.decays())
                .put("lastCheckpointStep", s.lastCheckpointStep() < 0 ? null : s.lastCheckpointStep())
                .put("pictureStep", s.pictureStep() < 0 ? null : s.pictureStep())
                .put("updatedMillis", s.updatedMillis());
    }

    static JsonObject metric(MetricPoint p) {
        return new JsonObject()
                .put("step", p.step())
                .put("criticLoss", number(p.criticLoss()))
                .put("generatorLoss", number(p.generatorLoss()))
                .put("mmd2", number(p.mmd2()))
                .put("lrGenerator", number(p.lrGenerator()))
                .put("lrCritic", number(p.lrCritic()))
                .put("stepsPerSecond", number(p.stepsPerSecond()));
    }

    static JsonObject kid(KidPoint p) {
        return new JsonObject()
                .put("step", p.step())
                .put("mean", number(p.mean()))
                .put("stderr", number(p.stderr()))
                .put("std", number(p.std()))
                .put("pValue", number(p.pValue()))
                .put("decision", p.decision())
                .put("hasPicture", !p.pictureKey().isEmpty())
                .put("featureNetwork", p.featureNetwork());
    }

    static JsonObject decision(DecisionMark d) {
        return new JsonObject()
                .put("step", d.step())
                .put("decisionId", d.decisionId())
                .put("kind", d.kind())
                .put("factor", number(d.factor()))
                .put("pValue", number(d.pValue()))
                .put("previousStep", d.previousStep());
    }

    /** A live update: what changed ({@code type}: state, metrics, checkpoint, evaluation, decision), the run's new
     *  summary and the new point, if any. */
    static JsonObject update(String type, RunSummary summary, JsonObject point) {
        return new JsonObject().put("type", type).put("run", summary(summary)).put("point", point);
    }

    static JsonObject error(String message) {
        return new JsonObject().put("error", message);
    }

    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static <T> JsonArray array(List<T> items, Function<T, JsonObject> f) {
        JsonArray a = new JsonArray();
        items.forEach(i -> a.add(f.apply(i)));
        return a;
    }
}
