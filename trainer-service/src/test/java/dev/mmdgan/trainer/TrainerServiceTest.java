package dev.mmdgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.api.v1.ArchitectureSpec;
import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.DatasetSpec;
import dev.mmdgan.api.v1.DecisionKind;
import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.api.v1.ResumeRunRequest;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.RunStateChanged;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.StopRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.api.v1.WatchRunRequest;
import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.config.StoreConfig;
import dev.mmdgan.service.events.EventIds;
import dev.mmdgan.service.storage.CheckpointStore;
import dev.mmdgan.service.testing.KafkaTopics;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End to end over real gRPC on loopback, with the real broker and store of {@code ./mmdgan infra} (no mocks). */
@QuarkusTest
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "trainer"))
class TrainerServiceTest {

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int port;

    @Inject
    CheckpointStore store;

    @Inject
    TrainerConfig config;

    @Inject
    KafkaConfig kafka;

    @Inject
    StoreConfig storeConfig;

    private ManagedChannel channel;
    private TrainerServiceGrpc.TrainerServiceBlockingStub trainer;

    @BeforeEach
    void connect() throws InterruptedException {
        TrainerCalls.awaitReady(port);
        channel = TrainerCalls.channel(port);
        trainer = TrainerCalls.trainer(channel);
    }

    @AfterEach
    void disconnect() {
        TrainerCalls.stopActive(trainer);
        channel.shutdownNow();
    }

    /** A tiny moons run: a few seconds on 2 cores. */
    static RunConfig.Builder tinyRun(long steps) {
        return RunConfig.newBuilder().setDataset(DatasetSpec.newBuilder().setName("moons"))
                .setArchitecture(ArchitectureSpec.newBuilder().setName("mlp-2d")).setSteps(steps).setBatchSize(32).setNCritic(1)
                .setCheckpointEvery(10).setMetricsEvery(5);
    }

    private Run awaitState(String id, RunState... states) throws InterruptedException {
        return TrainerCalls.awaitState(trainer, id, states);
    }

    private <T> List<T> events(String topic, String runId, KafkaTopics.Parser<T> parser, long atLeast) throws Exception {
        return KafkaTopics.read(kafka.bootstrapServers(), topic, runId, parser, atLeast, 0);
    }

    @Test
    void aRunTrainsCheckpointsToTheStoreAndPublishesEvents() throws Exception {
        Run started = trainer.startRun(StartRunRequest.newBuilder().setConfig(tinyRun(30)).build());
        assertThat(started.getRunId()).isNotBlank();
        assertThat(started.getState()).isIn(RunState.RUN_STATE_QUEUED, RunState.RUN_STATE_RUNNING);

        // WatchRun streams metrics every 5 steps until the run ends.
        List<TrainingMetrics> watched = new ArrayList<>();
        Iterator<TrainingMetrics> stream = trainer.watchRun(WatchRunRequest.newBuilder().setRunId(started.getRunId())
                .setFromStep(0).build());
        stream.forEachRemaining(watched::add);
        assertThat(watched).isNotEmpty();
        assertThat(watched.get(watched.size() - 1).getGeneratorStep()).isEqualTo(30);

        Run done = awaitState(started.getRunId(), RunState.RUN_STATE_COMPLETED);
        assertThat(done.getGeneratorStep()).isEqualTo(30);
        assertThat(done.getLastCheckpoint().getGeneratorStep()).isEqualTo(30);
        assertThat(done.getLastCheckpoint().getUri()).isEqualTo("s3://" + storeConfig.bucket() + "/runs/" + started.getRunId()
                + "/checkpoints/30/");
        // Once stored, the local copies are gone: resuming always starts from the store.
        java.nio.file.Path local = config.workDir().resolve(started.getRunId());
        for (int i = 0; i < 100 && java.nio.file.Files.exists(local); i++) {
            Thread.sleep(100); // deleted right after the final upload, on the upload thread
        }
        assertThat(local).doesNotExist();

        List<String> objects = store.list("runs/" + started.getRunId() + "/checkpoints/");
        for (int step : new int[] {10, 20, 30}) {
            assertThat(objects).contains("runs/" + started.getRunId() + "/checkpoints/" + step + "/MANIFEST.sha256",
                    "runs/" + started.getRunId() + "/checkpoints/" + step + "/generator.sd");
        }

        List<CheckpointPublished> checkpoints = events(kafka.checkpointsTopic(), started.getRunId(),
                CheckpointPublished::parseFrom, 3);
        assertThat(checkpoints).extracting(c -> c.getCheckpoint().getGeneratorStep()).containsExactly(10L, 20L, 30L);
        assertThat(checkpoints).allSatisfy(c -> {
            // The id says what the event is, so that a repeat (after a crash, or a step trained again) has the same id.
            assertThat(c.getHeader().getEventId()).isEqualTo(EventIds.id(started.getRunId(), c.getCheckpoint().getGeneratorStep(), "checkpoint"));
            assertThat(c.getHeader().getProducer()).isEqualTo("trainer-service");
            assertThat(c.getProvenance().getDataset()).startsWith("moons(");
            // Provenance: code version and commit, the data's identity and hash, the config's hash.
            assertThat(c.getProvenance().getCodeVersion()).isNotBlank();
            assertThat(c.getProvenance().getGitCommit()).isNotBlank();
            assertThat(c.getProvenance().getDatasetSha256()).hasSize(64);
            assertThat(c.getProvenance().getConfigSha256()).hasSize(64);
            assertThat(c.getCheckpoint().getManifestSha256()).hasSize(64);
        });
        List<RunStateChanged> states = events(kafka.runStatesTopic(), started.getRunId(), RunStateChanged::parseFrom, 3);
        assertThat(states).extracting(RunStateChanged::getState).containsSubsequence(RunState.RUN_STATE_QUEUED,
                RunState.RUN_STATE_RUNNING, RunState.RUN_STATE_COMPLETED);
        assertThat(events(kafka.metricsTopic(), started.getRunId(),
                dev.mmdgan.api.v1.TrainingMetricsReported::parseFrom, 6)).hasSizeGreaterThanOrEqualTo(6);

        // Prometheus metrics: checkpoint uploads and events; the run's own series went with the run.
        String metrics = scrape();
        assertThat(metrics).contains("mmdgan_trainer_checkpoint_upload_seconds_count", "mmdgan_events_dropped_total{service=\"trainer-service\"} 0.0")
                .doesNotContain("run=\"" + started.getRunId() + "\"");
    }

    private String scrape() throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void decayDecisionsApplyOnceAndRunsStopAndResume() throws Exception {
        Run run = trainer.startRun(StartRunRequest.newBuilder().setConfig(tinyRun(100000).setMetricsEvery(1).setCheckpointEvery(100)).build());
        String id = run.getRunId();
        TrainerCalls.await(trainer, id, Duration.ofSeconds(120), r -> r.getGeneratorStep() >= 2);
        // While it trains, the run has its Prometheus series: steps, losses, learning rates.
        String service = ",service=\"trainer-service\"}";
        assertThat(scrape()).contains("mmdgan_trainer_steps_total{run=\"" + id + "\"" + service,
                "mmdgan_trainer_learning_rate{network=\"generator\",run=\"" + id + "\"" + service + " 0.001",
                "mmdgan_trainer_loss{network=\"critic\",run=\"" + id + "\"" + service);
        double lrBefore = trainer.getRun(GetRunRequest.newBuilder().setRunId(id).build()).getLrGenerator();

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            LearningRateDecision decay = LearningRateDecision.newBuilder().setHeader(EventIds.header(id, 1, "decision", "test"))
                    .setDecisionId("decision-1").setKind(DecisionKind.DECISION_KIND_DECAY).setFactor(0.5).setFloor(1e-6).build();
            for (int i = 0; i < 2; i++) { // the second is a duplicate and must be ignored
                producer.send(new ProducerRecord<>(kafka.decisionsTopic(), id, decay.toByteArray())).get();
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Run decayed = trainer.getRun(GetRunRequest.newBuilder().setRunId(id).build());
        while (decayed.getLrDecays() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            decayed = trainer.getRun(GetRunRequest.newBuilder().setRunId(id).build());
        }
        Thread.sleep(1000); // time for the duplicate to arrive, too
        decayed = trainer.getRun(GetRunRequest.newBuilder().setRunId(id).build());
        assertThat(decayed.getLrDecays()).isEqualTo(1);
        assertThat(decayed.getLrGenerator()).isEqualTo(lrBefore * 0.5);
        assertThat(decayed.getLrCritic()).isEqualTo(lrBefore * 0.5);
        assertThat(decayed.getAppliedDecisionIdsList()).containsExactly("decision-1"); // kept in the stored record too

        trainer.stopRun(StopRunRequest.newBuilder().setRunId(id).build());
        Run stopped = awaitState(id, RunState.RUN_STATE_STOPPED);
        long stoppedAt = stopped.getGeneratorStep();
        assertThat(stopped.getLastCheckpoint().getGeneratorStep()).isEqualTo(stoppedAt); // final checkpoint

        trainer.resumeRun(ResumeRunRequest.newBuilder().setRunId(id).setSteps(stoppedAt + 10).build());
        Run resumed = awaitState(id, RunState.RUN_STATE_COMPLETED);
        assertThat(resumed.getGeneratorStep()).isEqualTo(stoppedAt + 10);
        assertThat(resumed.getLrGenerator()).isEqualTo(lrBefore * 0.5); // the decay survived the checkpoint
    }
}
