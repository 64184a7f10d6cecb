package dev.mmdgan.trainer.events;

import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.EventHeader;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.RunStateChanged;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.api.v1.TrainingMetricsReported;
import dev.mmdgan.service.Provenances;
import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.events.EventIds;
import dev.mmdgan.service.events.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Properties;

/**
 * The trainer's events: checkpoints, training metrics and run state changes, each with an id derived from what it is
 * ({@link EventIds}), published through service-common's {@link EventPublisher}.
 */
@ApplicationScoped
public class TrainerEvents {

    @Inject
    KafkaConfig kafka;

    @Inject
    EventPublisher publisher;

    /** The header of an event about a run at a step; {@code what} names the event (its id's seed). */
    public EventHeader header(String runId, long step, String what) {
        return EventIds.header(runId, step, what, publisher.producer());
    }

    /**
     * A stored checkpoint, with the provenance its {@code checkpoint.properties} records and the run's evaluation
     * settings ({@code evaluation_every}, {@code lr_decay}) for the evaluator.
     */
    public void checkpointPublished(CheckpointRef checkpoint, Properties metadata, long uploadMillis, RunConfig config) {
        CheckpointPublished.Builder event = CheckpointPublished.newBuilder()
                .setHeader(header(checkpoint.getRunId(), checkpoint.getGeneratorStep(), "checkpoint")).setCheckpoint(checkpoint)
                .setProvenance(Provenances.of(metadata, publisher.producer())).setUploadMs(uploadMillis)
                .setLrDecay(config.getLrDecay());
        if (config.hasEvaluationEvery()) {
            event.setEvaluationEvery(config.getEvaluationEvery());
        }
        publisher.publish(kafka.checkpointsTopic(), checkpoint.getRunId(), event.build());
    }

    /** Metrics of a step; {@code decisionId} is set for the extra report a learning-rate decay makes. */
    public void metrics(TrainingMetrics metrics, String decisionId) {
        String what = decisionId.isEmpty() ? "metrics" : "metrics|decay|" + decisionId;
        publisher.publish(kafka.metricsTopic(), metrics.getRunId(), TrainingMetricsReported.newBuilder()
                .setHeader(header(metrics.getRunId(), metrics.getGeneratorStep(), what)).setMetrics(metrics).build());
    }

    /** A state change; {@code version} is the run's count of state changes, which tells repeated changes apart. */
    public void stateChanged(String runId, long step, RunState previous, RunState state, long version, String reason) {
        publisher.publish(kafka.runStatesTopic(), runId, RunStateChanged.newBuilder()
                .setHeader(header(runId, step, "state|" + previous + "|" + state + "|" + version))
                .setPreviousState(previous).setState(state).setReason(reason).build());
    }
}
