package dev.mmdgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import dev.mmdgan.api.v1.TrainingMetricsReported;
import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.storage.CheckpointStore;
import dev.mmdgan.service.testing.KafkaTopics;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real store and the real broker are stopped and started again in the middle of a run: training goes on,
 * every checkpoint ends up in the store, and every event is delivered exactly once.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "faults"))
@Timeout(value = 10, unit = TimeUnit.MINUTES) // longer than the default 5: real restarts and outages
class FaultToleranceTest {

    private static final long STEPS = 1500;
    private static final long CHECKPOINT_EVERY = 50;
    private static final long METRICS_EVERY = 10;

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int port;

    @Inject
    CheckpointStore store;

    @Inject
    TrainerConfig config;

    @Inject
    KafkaConfig kafka;

    @BeforeEach
    void ready() throws InterruptedException {
        TrainerCalls.awaitReady(port);
    }

    @Test
    void trainingSurvivesTheStoreAndTheBrokerGoingAway() throws Exception {
        ManagedChannel channel = TrainerCalls.channel(port);
        try {
            var trainer = TrainerCalls.trainer(channel);
            String id = trainer.startRun(StartRunRequest.newBuilder().setConfig(TrainerServiceTest.tinyRun(STEPS)
                    .setCheckpointEvery(CHECKPOINT_EVERY).setMetricsEvery(METRICS_EVERY)).build()).getRunId();
            GetRunRequest get = GetRunRequest.newBuilder().setRunId(id).build();
            await(() -> trainer.getRun(get), r -> r.getLastCheckpoint().getGeneratorStep() >= CHECKPOINT_EVERY);

            LocalInfra.infra("stop", "s3");
            long atStop = trainer.getRun(get).getGeneratorStep();
            Run during = await(() -> trainer.getRun(get), r -> r.getGeneratorStep() >= atStop + 2 * CHECKPOINT_EVERY);
            assertThat(during.getState()).isEqualTo(RunState.RUN_STATE_RUNNING); // training does not wait for the store
            LocalInfra.infra("start", "s3");

            LocalInfra.infra("stop", "kafka");
            long brokerDown = trainer.getRun(get).getGeneratorStep();
            await(() -> trainer.getRun(get), r -> r.getGeneratorStep() >= brokerDown + 2 * CHECKPOINT_EVERY);
            LocalInfra.infra("start", "kafka");

            Run done = await(() -> trainer.getRun(get), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
            assertThat(done.getGeneratorStep()).isEqualTo(STEPS);

            // Every checkpoint is in the store, complete.
            List<String> objects = store.list("runs/" + id + "/checkpoints/");
            for (long step = CHECKPOINT_EVERY; step <= STEPS; step += CHECKPOINT_EVERY) {
                assertThat(objects).contains("runs/" + id + "/checkpoints/" + step + "/MANIFEST.sha256");
            }
            // Every checkpoint event and every metrics report arrived, once each.
            // (Consumers drop repeats by event id: a retry after a lost acknowledgement may repeat an event.)
            List<CheckpointPublished> checkpoints = new ArrayList<>(events(kafka.checkpointsTopic(), id,
                    CheckpointPublished::parseFrom, STEPS / CHECKPOINT_EVERY).stream()
                    .collect(java.util.stream.Collectors.toMap(c -> c.getHeader().getEventId(), c -> c, (a, b) -> a,
                            java.util.LinkedHashMap::new)).values());
            assertThat(checkpoints).extracting(c -> c.getCheckpoint().getGeneratorStep()).doesNotHaveDuplicates()
                    .hasSize((int) (STEPS / CHECKPOINT_EVERY));
            List<TrainingMetricsReported> metrics = events(kafka.metricsTopic(), id, TrainingMetricsReported::parseFrom,
                    STEPS / METRICS_EVERY);
            Set<Long> steps = new HashSet<>();
            metrics.forEach(m -> steps.add(m.getMetrics().getGeneratorStep()));
            for (long step = METRICS_EVERY; step <= STEPS; step += METRICS_EVERY) {
                assertThat(steps).contains(step);
            }
        } finally {
            channel.shutdownNow();
        }
    }

    private static Run await(java.util.function.Supplier<Run> poll, Predicate<Run> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        Run last = null;
        while (System.nanoTime() < deadline) {
            last = poll.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out; last state " + last);
    }

    private <T> List<T> events(String topic, String runId, KafkaTopics.Parser<T> parser, long atLeast) throws Exception {
        return KafkaTopics.read(kafka.bootstrapServers(), topic, runId, parser, atLeast, 3000);
    }
}
