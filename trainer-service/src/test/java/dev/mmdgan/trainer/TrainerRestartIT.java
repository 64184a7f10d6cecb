package dev.mmdgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service (target/quarkus-app) is killed with SIGKILL in the middle of a run and started again: the
 * run continues from its newest stored checkpoint and completes. Real broker, real store, real process.
 */
class TrainerRestartIT {

    private static final int PORT = 18080;
    private static final long STEPS = 1000;
    private static final long CHECKPOINT_EVERY = 100;

    @BeforeAll
    static void infra() {
        LocalInfra.infra("start");
    }

    @AfterAll
    static void stopInfra() {
        LocalInfra.infra("stop");
    }

    private static Process launch(String name) throws IOException, InterruptedException {
        Path app = Path.of(System.getProperty("user.dir"), "target", "quarkus-app", "quarkus-run.jar");
        Path log = Path.of(System.getProperty("user.dir"), "target", "infra", name + ".log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + PORT,
                "-Dmmdgan.store.endpoint=http://127.0.0.1:" + LocalInfra.S3_PORT,
                "-Dmmdgan.store.access-key=" + LocalInfra.ACCESS_KEY, "-Dmmdgan.store.secret-key=" + LocalInfra.SECRET_KEY,
                "-Dmmdgan.store.bucket=restart-it",
                "-Dmmdgan.kafka.bootstrap-servers=127.0.0.1:" + LocalInfra.KAFKA_PORT,
                "-Dmmdgan.trainer.work-dir=" + Path.of(System.getProperty("user.dir"), "target", "infra", "restart-work"),
                "-jar", app.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return p;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!p.isAlive()) {
                throw new AssertionError("the service exited; see " + log);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service did not become ready; see " + log);
    }

    private static Run await(TrainerServiceGrpc.TrainerServiceBlockingStub trainer, String id, Predicate<Run> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        Run last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = trainer.getRun(GetRunRequest.newBuilder().setRunId(id).build());
                if (done.test(last)) {
                    return last;
                }
            } catch (StatusRuntimeException e) {
                // the restarted service has not read the run records yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out; last state " + last);
    }

    @Test
    void aKilledServiceResumesItsRunsFromTheirCheckpoints() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", PORT).usePlaintext().build();
        Process first = launch("restart-first");
        try {
            var trainer = TrainerServiceGrpc.newBlockingStub(channel);
            String id = trainer.startRun(StartRunRequest.newBuilder().setConfig(TrainerServiceTest.tinyRun(STEPS)
                    .setCheckpointEvery(CHECKPOINT_EVERY)).build()).getRunId();
            Run before = await(trainer, id, r -> r.getLastCheckpoint().getGeneratorStep() >= 2 * CHECKPOINT_EVERY);
            first.destroyForcibly().waitFor();
            long checkpointed = before.getLastCheckpoint().getGeneratorStep();

            Process second = launch("restart-second");
            try {
                Run resumed = await(trainer, id, r -> r.getState() == RunState.RUN_STATE_RUNNING
                        || r.getState() == RunState.RUN_STATE_COMPLETED);
                assertThat(resumed.getGeneratorStep()).isGreaterThanOrEqualTo(checkpointed); // not from scratch
                Run done = await(trainer, id, r -> r.getState() == RunState.RUN_STATE_COMPLETED);
                assertThat(done.getGeneratorStep()).isEqualTo(STEPS);
                assertThat(done.getLastCheckpoint().getGeneratorStep()).isEqualTo(STEPS);
            } finally {
                second.destroy();
                second.waitFor();
            }
        } finally {
            first.destroyForcibly();
            channel.shutdownNow();
        }
    }
}
