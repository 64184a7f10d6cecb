package dev.mmdgan.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Timestamp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API surface that services and clients rely on: services, their methods, and the event envelope. */
class ApiContractTest {

    private static List<String> methods(ServiceDescriptor s) {
        return s.getMethods().stream().map(m -> m.getName()).toList();
    }

    @Test
    void servicesOfferTheirRpcs() {
        assertThat(methods(TrainerProto.getDescriptor().findServiceByName("TrainerService")))
                .containsExactly("StartRun", "GetRun", "ListRuns", "StopRun", "ResumeRun", "WatchRun");
        assertThat(methods(SamplerProto.getDescriptor().findServiceByName("SamplerService")))
                .containsExactly("Generate", "GenerateStream", "Interpolate", "GetModel");
        assertThat(methods(EvaluatorProto.getDescriptor().findServiceByName("EvaluatorService")))
                .containsExactly("EvaluateCheckpoint", "ComputeKid", "TwoSampleTest", "ListEvaluations", "WatchEvaluations");
        assertThat(TrainerProto.getDescriptor().findServiceByName("TrainerService").findMethodByName("WatchRun").isServerStreaming()).isTrue();
        assertThat(EvaluatorProto.getDescriptor().findServiceByName("EvaluatorService").findMethodByName("ComputeKid").isClientStreaming()).isTrue();
    }

    @Test
    void grpcStubsAreGenerated() {
        assertThat(TrainerServiceGrpc.getServiceDescriptor().getName()).isEqualTo("mmdgan.v1.TrainerService");
        assertThat(SamplerServiceGrpc.SERVICE_NAME).isEqualTo("mmdgan.v1.SamplerService");
        assertThat(EvaluatorServiceGrpc.SERVICE_NAME).isEqualTo("mmdgan.v1.EvaluatorService");
    }

    @Test
    void everyEventCarriesTheHeader() {
        for (Descriptor event : List.of(CheckpointPublished.getDescriptor(), TrainingMetricsReported.getDescriptor(),
                RunStateChanged.getDescriptor(), EvaluationCompleted.getDescriptor(), LearningRateDecision.getDescriptor())) {
            FieldDescriptor header = event.findFieldByName("header");
            assertThat(header).as(event.getName()).isNotNull();
            assertThat(header.getMessageType()).isEqualTo(EventHeader.getDescriptor());
        }
        assertThat(EventHeader.getDescriptor().getFields()).extracting(FieldDescriptor::getName)
                .contains("event_id", "run_id", "generator_step", "timestamp");
    }

    @Test
    void runConfigNamesEverythingARunNeedsAndRoundTrips() throws Exception {
        assertThat(RunConfig.getDescriptor().getFields()).extracting(FieldDescriptor::getName)
                .contains("dataset", "architecture", "loss", "kernel", "regularizers", "optimizer", "n_critic",
                        "batch_size", "steps", "seed", "checkpoint_every", "evaluation_every");
        RunConfig config = RunConfig.newBuilder()
                .setDataset(DatasetSpec.newBuilder().setName("moons"))
                .setArchitecture(ArchitectureSpec.newBuilder().setName("mlp-2d"))
                .setLoss(LossSpec.newBuilder().setName("mmd-gp").setGradientPenalty(1.0))
                .setKernel(KernelSpec.newBuilder().setName("rq-mix").addAllAlphas(List.of(0.2, 1.0, 5.0)))
                .setSteps(2000)
                .build();
        assertThat(RunConfig.parseFrom(config.toByteArray())).isEqualTo(config);
        assertThat(config.hasNCritic()).as("unset optional fields fall back to defaults").isFalse();
        LearningRateDecision decision = LearningRateDecision.newBuilder()
                .setHeader(EventHeader.newBuilder().setEventId("e-1").setRunId("r-1").setGeneratorStep(20000)
                        .setTimestamp(Timestamp.newBuilder().setSeconds(1)))
                .setDecisionId("d-1").setKind(DecisionKind.DECISION_KIND_DECAY).setFactor(0.8).build();
        assertThat(LearningRateDecision.parseFrom(decision.toByteArray())).isEqualTo(decision);
    }
}
