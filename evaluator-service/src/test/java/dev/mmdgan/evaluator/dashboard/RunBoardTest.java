package dev.mmdgan.evaluator.dashboard;

import static dev.mmdgan.evaluator.dashboard.DashboardEvents.checkpoint;
import static dev.mmdgan.evaluator.dashboard.DashboardEvents.decision;
import static dev.mmdgan.evaluator.dashboard.DashboardEvents.evaluation;
import static dev.mmdgan.evaluator.dashboard.DashboardEvents.metrics;
import static dev.mmdgan.evaluator.dashboard.DashboardEvents.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.DecisionKind;
import dev.mmdgan.api.v1.EventHeader;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.RunStateChanged;
import dev.mmdgan.evaluator.dashboard.RunBoard.KidPoint;
import dev.mmdgan.evaluator.dashboard.RunBoard.RunDetail;
import dev.mmdgan.evaluator.dashboard.RunBoard.RunSummary;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The dashboard's model on plain events, without Quarkus or a broker. */
class RunBoardTest {

    private final RunBoard board = new RunBoard(100, 10);

    @Test
    void aRunShowsItsStateStepRatesAndSeries() {
        board.onRunState(state("r1", 0, RunState.RUN_STATE_QUEUED, RunState.RUN_STATE_RUNNING, "started"));
        for (long step = 10; step <= 50; step += 10) {
            board.onMetrics(metrics("r1", step, 1e-4, 20 + step));
        }
        board.onCheckpoint(checkpoint("r1", 40));
        board.onEvaluation(evaluation("r1", 40, 0.12, 0.01, Double.NaN, DecisionKind.DECISION_KIND_WARMUP, ""));

        RunSummary s = board.summary("r1").orElseThrow();
        assertThat(s.state()).isEqualTo("RUNNING");
        assertThat(s.reason()).isEqualTo("started");
        assertThat(s.step()).isEqualTo(50);
        assertThat(s.stepsPerSecond()).isEqualTo(70.0);
        assertThat(s.etaSeconds()).isEqualTo((1000 - 50) / 70.0);
        assertThat(s.lrGenerator()).isEqualTo(1e-4);
        assertThat(s.lrCritic()).isEqualTo(2e-4);
        assertThat(s.lastCheckpointStep()).isEqualTo(40);
        assertThat(s.evaluations()).isEqualTo(1);
        assertThat(s.lastKid().mean()).isEqualTo(0.12);
        assertThat(s.lastKid().pValue()).isNaN();
        assertThat(s.pictureStep()).isEqualTo(-1);

        RunDetail d = board.detail("r1").orElseThrow();
        assertThat(d.metrics()).extracting(RunBoard.MetricPoint::step).containsExactly(10L, 20L, 30L, 40L, 50L);
        double mmd2At30 = 0.4 * Math.exp(-30 / 150.0) + 0.02; // DashboardEvents' losses, computed here again
        assertThat(d.metrics().get(2).generatorLoss()).isEqualTo(mmd2At30);
        assertThat(d.metrics().get(2).mmd2()).isEqualTo(mmd2At30 * 0.9);
        assertThat(d.kid()).extracting(KidPoint::decision).containsExactly("WARMUP");
    }

    @Test
    void aFailedEvaluationDrawsNoKidPoint() {
        var failed = evaluation("r1", 20, 0, 0, Double.NaN, DecisionKind.DECISION_KIND_UNSPECIFIED, "");
        failed = failed.toBuilder().setEvaluation(failed.getEvaluation().toBuilder().clearKid()
                .setFailure("no feature network for data set 'x'")).build();
        assertThat(board.onEvaluation(failed)).isNull();
        RunDetail detail = board.detail("r1").orElseThrow();
        assertThat(detail.kid()).isEmpty();
        assertThat(detail.summary().evaluations()).isZero();
    }

    @Test
    void repeatedAndReplayedEventsChangeNothing() {
        var m = metrics("r1", 10, 1e-3, 5);
        var e = evaluation("r1", 10, 0.3, 0.02, 0.5, DecisionKind.DECISION_KIND_FAIL, "");
        var d = decision("r1", 10, DecisionKind.DECISION_KIND_DECAY, 0.8, 0.5);
        for (int i = 0; i < 3; i++) {
            board.onMetrics(m);
            board.onEvaluation(e);
            board.onDecision(d);
        }
        RunDetail detail = board.detail("r1").orElseThrow();
        assertThat(detail.metrics()).hasSize(1);
        assertThat(detail.kid()).hasSize(1);
        assertThat(detail.decisions()).hasSize(1);
        assertThat(detail.summary().evaluations()).isEqualTo(1);
        assertThat(detail.summary().decays()).isEqualTo(1);
    }

    @Test
    void ratesFollowTheNewestStepWhateverTheOrderOfArrival() {
        board.onMetrics(metrics("r1", 200, 0.8e-4, 30));
        board.onMetrics(metrics("r1", 100, 1e-4, 25)); // late delivery of an older report
        RunSummary s = board.summary("r1").orElseThrow();
        assertThat(s.lrGenerator()).isEqualTo(0.8e-4);
        assertThat(s.stepsPerSecond()).isEqualTo(30.0);
        assertThat(s.step()).isEqualTo(200);
        // No state change seen: the metrics' state stands in.
        assertThat(s.state()).isEqualTo("RUNNING");
        board.onRunState(state("r1", 200, RunState.RUN_STATE_RUNNING, RunState.RUN_STATE_COMPLETED, "done"));
        board.onMetrics(metrics("r1", 190, 0.8e-4, 30)); // says RUNNING, but a state change is authoritative
        assertThat(board.summary("r1").orElseThrow().state()).isEqualTo("COMPLETED");
    }

    @Test
    void decaysCountOncePerStepFromEvaluationsAndDecisionsAlike() {
        board.onEvaluation(evaluation("r1", 100, 0.3, 0.02, 0.4, DecisionKind.DECISION_KIND_DECAY, ""));
        board.onDecision(decision("r1", 100, DecisionKind.DECISION_KIND_DECAY, 0.8, 0.4));
        board.onDecision(decision("r1", 200, DecisionKind.DECISION_KIND_DECAY, 0.8, 0.3)); // its evaluation not seen yet
        board.onDecision(decision("r1", 300, DecisionKind.DECISION_KIND_PASS, 1, 0.01));
        RunDetail d = board.detail("r1").orElseThrow();
        assertThat(d.summary().decays()).isEqualTo(2);
        assertThat(d.decisions()).extracting(RunBoard.DecisionMark::kind).containsExactly("DECAY", "DECAY", "PASS");
        assertThat(d.decisions().get(0).factor()).isEqualTo(0.8);
        assertThat(d.decisions().get(0).previousStep()).isEqualTo(0);
    }

    @Test
    void thePictureIsTheNewestEvaluationThatHasOne() {
        board.onEvaluation(evaluation("r1", 100, 0.3, 0.02, Double.NaN, DecisionKind.DECISION_KIND_WARMUP, "runs/r1/evaluations/100/samples.png"));
        board.onEvaluation(evaluation("r1", 300, 0.2, 0.02, 0.1, DecisionKind.DECISION_KIND_PASS, ""));
        board.onEvaluation(evaluation("r1", 200, 0.25, 0.02, 0.1, DecisionKind.DECISION_KIND_PASS, "runs/r1/evaluations/200/samples.png"));
        assertThat(board.pictureKey("r1")).contains("runs/r1/evaluations/200/samples.png");
        assertThat(board.summary("r1").orElseThrow().pictureStep()).isEqualTo(200);
        assertThat(board.summary("r1").orElseThrow().lastKid().step()).isEqualTo(300);
        assertThat(board.pictureKey("other")).isEmpty();
    }

    @Test
    void newestRunsComeFirstAndTheLeastRecentlyUpdatedIsForgottenPastTheLimit() {
        RunBoard small = new RunBoard(10, 3);
        small.onMetrics(metrics("a", 1, 1e-4, 1));
        small.onMetrics(metrics("b", 1, 1e-4, 1));
        small.onMetrics(metrics("c", 1, 1e-4, 1));
        small.onMetrics(metrics("a", 2, 1e-4, 1)); // a is fresh again; b is now the stalest
        small.onMetrics(metrics("d", 1, 1e-4, 1));
        assertThat(small.summaries()).extracting(RunSummary::runId).containsExactly("d", "c", "a");
        assertThat(small.detail("b")).isEmpty();
    }

    @Test
    void eachSeriesIsBounded() {
        for (long step = 1; step <= 1000; step++) {
            board.onMetrics(metrics("r1", step, 1e-4, 10));
            board.onEvaluation(evaluation("r1", step, 0.1, 0.01, 0.5, DecisionKind.DECISION_KIND_PASS, ""));
        }
        RunDetail d = board.detail("r1").orElseThrow();
        assertThat(d.metrics()).hasSizeLessThanOrEqualTo(100);
        assertThat(d.kid()).hasSizeLessThanOrEqualTo(100);
        assertThat(d.metrics().get(0).step()).isEqualTo(1);
        assertThat(d.summary().evaluations()).isEqualTo(1000);
    }

    @Test
    void anEventWithoutARunIsRefused() {
        RunStateChanged e = RunStateChanged.newBuilder().setHeader(EventHeader.newBuilder().setEventId("e1")).build();
        assertThatThrownBy(() -> board.onRunState(e)).hasMessageContaining("event e1 names no run");
        assertThat(board.summaries()).isEmpty();
    }

    @Test
    void jsonHasNullWhereANumberIsNotFinite() {
        board.onEvaluation(evaluation("r1", 100, 0.3, Double.NaN, Double.NaN, DecisionKind.DECISION_KIND_WARMUP, ""));
        JsonObject json = DashboardJson.detail(board.detail("r1").orElseThrow());
        JsonObject kid = json.getJsonArray("kid").getJsonObject(0);
        assertThat(kid.getDouble("mean")).isEqualTo(0.3);
        assertThat(kid.containsKey("stderr")).isTrue();
        assertThat(kid.getValue("stderr")).isNull();
        assertThat(kid.getValue("pValue")).isNull();
        assertThat(json.getJsonObject("run").getValue("lrGenerator")).isNull(); // no metrics yet
        assertThat(json.encode()).doesNotContain("NaN");
        assertThat(new JsonObject(json.encode())).isEqualTo(json); // valid JSON, read back the same
    }
}
