package dev.mmdgan.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.api.v1.ArchitectureSpec;
import dev.mmdgan.api.v1.DatasetSpec;
import dev.mmdgan.api.v1.DecisionKind;
import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.LearningRateDecision;
import dev.mmdgan.api.v1.OptimizerSpec;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.StopRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import dev.mmdgan.service.events.EventIds;
import dev.mmdgan.service.testing.KafkaTopics;
import dev.mmdgan.service.testing.LocalInfra;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged trainer (trainer-service/target/quarkus-app) and the packaged evaluator against the same broker and
 * store: a run whose learning rates are so small that its generator does not change fails three relative tests in a
 * row, the evaluator publishes a DECAY, and the trainer applies it once (its learning rate drops by the factor), also
 * when the decision arrives again.
 */
@Timeout(value = 14, unit = TimeUnit.MINUTES) // two real services, real training: slow on a busy machine
class DecayLoopIT {

    private static final int TRAINER_PORT = 18091;
    private static final int EVALUATOR_PORT = 18092;
    private static final double LR = 1e-9;
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void infra() {
        LocalInfra.infra("start");
    }

    @AfterAll
    static void stopInfra() {
        LocalInfra.infra("stop");
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process launch(String name, Path jar, int port, Map<String, String> settings) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(jar), jar + " is not built: package it first "
                + "(mvn package -pl trainer-service -DskipTests); a whole-reactor build does");
        Path log = LocalInfra.STATE.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return p;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertThat(p.isAlive()).as(name + " exited; see " + log).isTrue();
            Thread.sleep(250);
        }
        throw new AssertionError(name + " did not become ready; see " + log);
    }

    @Test
    void aRunThatStopsImprovingIsDecayedOnceByTheTrainer() throws Exception {
        String unique = "decayit-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> shared = LocalInfra.sharedSettings(unique);
        Path work = LocalInfra.STATE.resolve("work-" + unique);
        Files.createDirectories(LocalInfra.STATE.resolve("data"));

        Map<String, String> trainer = new HashMap<>(shared);
        trainer.put("mmdgan.trainer.work-dir", work.resolve("trainer").toString());
        trainer.put("mmdgan.trainer.data-roots", LocalInfra.STATE.resolve("data").toString());
        trainer.put("mmdgan.kafka.outbox-dir", work.resolve("trainer/outbox").toString());
        trainer.put("mmdgan.kafka.group-id", unique + "-trainer");
        Map<String, String> evaluator = new HashMap<>(shared);
        evaluator.put("mmdgan.evaluator.work-dir", work.resolve("evaluator").toString());
        evaluator.put("mmdgan.kafka.outbox-dir", work.resolve("evaluator/outbox").toString());
        evaluator.put("mmdgan.kafka.group-id", unique + "-evaluator");
        evaluator.putAll(Map.of("mmdgan.evaluator.samples", "400", "mmdgan.evaluator.real-samples", "1000",
                "mmdgan.evaluator.kid-subsets", "10", "mmdgan.evaluator.kid-subset-size", "100",
                "mmdgan.evaluator.relative-samples", "200", "mmdgan.evaluator.decay.window", "2",
                "mmdgan.evaluator.decay.floor", "1e-12"));

        launch("decay-trainer", ROOT.resolve("trainer-service/target/quarkus-app/quarkus-run.jar"), TRAINER_PORT, trainer);
        launch("decay-evaluator", Path.of(System.getProperty("user.dir"), "target", "quarkus-app", "quarkus-run.jar"),
                EVALUATOR_PORT, evaluator);

        ManagedChannel channel = EvaluatorCalls.channel(TRAINER_PORT);
        try {
            var stub = TrainerServiceGrpc.newBlockingStub(channel);
            RunConfig config = RunConfig.newBuilder().setDataset(DatasetSpec.newBuilder().setName("moons"))
                    .setArchitecture(ArchitectureSpec.newBuilder().setName("mlp-2d")).setSteps(1_000_000).setBatchSize(32)
                    .setNCritic(1).setCheckpointEvery(10).setMetricsEvery(50)
                    .setOptimizer(OptimizerSpec.newBuilder().setLrGenerator(LR).setLrCritic(LR)).build();
            String id = stub.withDeadlineAfter(60, TimeUnit.SECONDS).startRun(StartRunRequest.newBuilder().setConfig(config).build())
                    .getRunId();

            Run decayed = await(stub, id, r -> r.getLrDecays() >= 1, Duration.ofMinutes(8));
            String bootstrap = shared.get("mmdgan.kafka.bootstrap-servers");
            String decisionsTopic = shared.get("mmdgan.kafka.decisions-topic");
            List<LearningRateDecision> decisions = KafkaTopics.read(bootstrap, decisionsTopic, id, LearningRateDecision::parseFrom,
                    3, 2000, Duration.ofSeconds(60));
            List<LearningRateDecision> decays = decisions.stream().filter(d -> d.getKind() == DecisionKind.DECISION_KIND_DECAY).toList();
            assertThat(decays).isNotEmpty();
            LearningRateDecision first = decays.get(0);
            assertThat(decisions.indexOf(first)).as("two failures before the first decay").isGreaterThanOrEqualTo(2);
            assertThat(decayed.getAppliedDecisionIdsList()).contains(first.getDecisionId());

            // The same decision again (as a redelivery with a new event id): the trainer does not apply it twice.
            KafkaTopics.publish(bootstrap, decisionsTopic, id, List.of(first.toBuilder()
                    .setHeader(first.getHeader().toBuilder().setEventId(EventIds.id(id, 0, "replayed"))).build().toByteArray()));
            Thread.sleep(3000);
            stub.withDeadlineAfter(60, TimeUnit.SECONDS).stopRun(StopRunRequest.newBuilder().setRunId(id).build());
            Run stopped = await(stub, id, r -> r.getState().name().endsWith("STOPPED"), Duration.ofMinutes(2));

            Set<String> decayIds = KafkaTopics.read(bootstrap, decisionsTopic, id, LearningRateDecision::parseFrom, 1, 2000,
                    Duration.ofSeconds(60)).stream().filter(d -> d.getKind() == DecisionKind.DECISION_KIND_DECAY)
                    .map(LearningRateDecision::getDecisionId).collect(Collectors.toSet());
            // Later DECAYs may come while the run stops (and are then not applied); each applied one counts once.
            List<String> applied = stopped.getAppliedDecisionIdsList();
            assertThat(applied).doesNotHaveDuplicates().contains(first.getDecisionId());
            assertThat(decayIds).containsAll(applied);
            assertThat(stopped.getLrDecays()).as("each decision id applied once").isEqualTo(applied.size());
            assertThat(stopped.getLrGenerator()).isCloseTo(LR * Math.pow(0.8, applied.size()),
                    org.assertj.core.data.Offset.offset(LR * 1e-6));
        } finally {
            channel.shutdownNow();
        }
    }

    private static Run await(TrainerServiceGrpc.TrainerServiceBlockingStub stub, String id, java.util.function.Predicate<Run> done,
                             Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Run last = null;
        while (System.nanoTime() < deadline) {
            last = stub.withDeadlineAfter(30, TimeUnit.SECONDS).getRun(GetRunRequest.newBuilder().setRunId(id).build());
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out after " + limit + "; last state " + last);
    }
}
