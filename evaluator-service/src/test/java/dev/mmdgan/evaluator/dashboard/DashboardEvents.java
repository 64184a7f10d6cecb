package dev.mmdgan.evaluator.dashboard;

import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.DecisionKind;
import dev.mmdgan.api.v1.Evaluation;
import dev.mmdgan.api.v1.EvaluationCompleted;
import dev.mmdgan.api.v1.EventHeader;
import dev.mmdgan.api.v1.KidResult;
import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.api.v1.RelativeTestResult;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.RunStateChanged;
import dev.mmdgan.api.v1.StepLosses;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.api.v1.TrainingMetricsReported;
import dev.mmdgan.service.Timestamps;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;

/** The tests' platform events, built as the trainer and the evaluator publish them. */
final class DashboardEvents {

    private DashboardEvents() {
    }

    static EventHeader header(String run, long step) {
        return EventHeader.newBuilder().setEventId(UUID.randomUUID().toString()).setRunId(run).setGeneratorStep(step)
                .setTimestamp(Timestamps.now()).setProducer("dashboard-test").build();
    }

    static RunStateChanged state(String run, long step, RunState previous, RunState state, String reason) {
        return RunStateChanged.newBuilder().setHeader(header(run, step)).setPreviousState(previous).setState(state)
                .setReason(reason).build();
    }

    /** Losses that fall smoothly with the step, as a stand-in for training. */
    static TrainingMetricsReported metrics(String run, long step, double lr, double stepsPerSecond) {
        double mmd2 = 0.4 * Math.exp(-step / 150.0) + 0.02;
        return TrainingMetricsReported.newBuilder().setHeader(header(run, step)).setMetrics(TrainingMetrics.newBuilder()
                .setRunId(run).setGeneratorStep(step)
                .setLosses(StepLosses.newBuilder().setCriticLoss(-mmd2 - 0.05).setGeneratorLoss(mmd2).setMmd2(mmd2 * 0.9))
                .setLrGenerator(lr).setLrCritic(lr * 2).setStepsPerSecond(stepsPerSecond)
                .setEtaSeconds((1000 - step) / stepsPerSecond).setState(RunState.RUN_STATE_RUNNING)
                .setTimestamp(Timestamps.now())).build();
    }

    static CheckpointPublished checkpoint(String run, long step) {
        return CheckpointPublished.newBuilder().setHeader(header(run, step)).setCheckpoint(CheckpointRef.newBuilder()
                .setRunId(run).setGeneratorStep(step).setUri("s3://test/runs/" + run + "/checkpoints/" + step + "/")).build();
    }

    /** An evaluation; {@code pValue} NaN means no relative test yet (the window is filling). */
    static EvaluationCompleted evaluation(String run, long step, double kid, double stderr, double pValue,
                                          DecisionKind decision, String pictureKey) {
        Evaluation.Builder e = Evaluation.newBuilder().setEvaluationId("eval-" + run + "-" + step).setRunId(run)
                .setGeneratorStep(step).setDecision(decision).setPictureKey(pictureKey)
                .setKid(KidResult.newBuilder().setMean(kid).setStderr(stderr).setStd(stderr * 10).setSubsets(100)
                        .setSubsetSize(1000).setFeatureNetwork("raw-pixels"));
        if (!Double.isNaN(pValue)) {
            e.setRelativeTest(RelativeTestResult.newBuilder().setPValue(pValue).setPreviousStep(step - 100));
        }
        return EvaluationCompleted.newBuilder().setHeader(header(run, step)).setEvaluation(e).build();
    }

    static LearningRateDecision decision(String run, long step, DecisionKind kind, double factor, double pValue) {
        return LearningRateDecision.newBuilder().setHeader(header(run, step)).setDecisionId("decision-" + run + "-" + step)
                .setKind(kind).setFactor(factor).setFloor(1e-6)
                .setRelativeTest(RelativeTestResult.newBuilder().setPValue(pValue).setPreviousStep(step - 100))
                .setEvaluationId("eval-" + run + "-" + step).build();
    }

    /** An 8 × 8 grid of 28 × 28 tiles with a soft blob each, scaled ×2: something a sample grid looks like. */
    static byte[] samplePng(long seed) {
        int tile = 28, n = 8, scale = 2;
        BufferedImage img = new BufferedImage(n * tile * scale, n * tile * scale, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        Random random = new Random(seed);
        for (int i = 0; i < n * n; i++) {
            int x = (i % n) * tile * scale, y = (i / n) * tile * scale;
            int w = (10 + random.nextInt(10)) * scale, h = (14 + random.nextInt(10)) * scale;
            float shade = 0.55f + 0.45f * random.nextFloat();
            g.setColor(new Color(shade, shade, shade));
            g.fillRoundRect(x + (tile * scale - w) / 2, y + (tile * scale - h) / 2, w, h, 10, 10);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
