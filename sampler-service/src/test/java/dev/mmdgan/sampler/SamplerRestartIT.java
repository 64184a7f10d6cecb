package dev.mmdgan.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.GenerateRequest;
import dev.mmdgan.api.v1.GetModelRequest;
import dev.mmdgan.api.v1.ModelInfo;
import dev.mmdgan.api.v1.SamplerServiceGrpc;
import dev.mmdgan.engine.model.GeneratorModel;
import dev.mmdgan.service.events.EventIds;
import dev.mmdgan.service.storage.CheckpointStore;
import dev.mmdgan.service.testing.KafkaTopics;
import dev.mmdgan.service.testing.PackagedService;
import dev.mmdgan.service.testing.Readiness;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged sampler (target/quarkus-app) as an operator runs it, killed and started again: a restarted sampler
 * serves at once the newest checkpoint in the store, also one stored while it was down, with the same bytes for the
 * same seeds as before the kill; and one started while the store is down is not ready and answers UNAVAILABLE, then
 * serves once the store is back. Real broker, real store, real processes; each test has its own bucket, topics and work folder.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES) // longer than the default 5: several starts of the packaged service
class SamplerRestartIT {

    private static final int PORT = 18082;
    private static final String RUN = "restarted";
    private static final long[] SEEDS = LongStream.range(40, 48).toArray();

    private Map<String, String> settings;
    private CheckpointStore store;
    private final PackagedService service = new PackagedService("sampler", PORT, LocalInfra.STATE);
    private ManagedChannel channel;
    private SamplerServiceGrpc.SamplerServiceBlockingStub sampler;

    @BeforeAll
    static void infra() {
        LocalInfra.infra("start");
    }

    @AfterAll
    static void stopInfra() {
        LocalInfra.infra("stop");
    }

    @BeforeEach
    void isolate() {
        settings = new LocalInfra().isolated("sampler-restart");
        store = LocalInfra.store(settings);
        channel = SamplerCalls.channel(PORT);
        sampler = SamplerCalls.sampler(channel);
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        service.close();
        channel.shutdownNow();
        LocalInfra.infra("start"); // a test that failed midway may have left the store stopped
    }

    @Test
    void aKilledSamplerServesTheNewestStoredCheckpointAtOnceWithTheSameBytes() throws Exception {
        upload(3);
        Process first = launch("sampler-restart-1");
        assertThat(servedStep()).as("loaded at start, before the first request").isEqualTo(3);
        List<Float> before = samples();
        assertThat(before).isEqualTo(inProcess(3));

        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        upload(6); // stored while the sampler is down: its event is never seen, the store listing at start finds it
        launch("sampler-restart-2");
        assertThat(servedStep()).isEqualTo(6);
        assertThat(samples()).isEqualTo(inProcess(6));
        assertThat(samples(3)).as("step 3 asked for by step: the bytes of before the kill").isEqualTo(before);

        // The restarted sampler follows new checkpoints again.
        CheckpointRef ref = upload(9);
        KafkaTopics.publish(settings.get("mmdgan.kafka.bootstrap-servers"), settings.get("mmdgan.kafka.checkpoints-topic"), RUN,
                List.of(CheckpointPublished.newBuilder().setHeader(EventIds.header(RUN, 9, "checkpoint", "test"))
                        .setCheckpoint(ref).build().toByteArray()));
        SamplerCalls.awaitModel(sampler, RUN, Duration.ofSeconds(60), info -> info.getCheckpoint().getGeneratorStep() == 9);
        assertThat(samples()).isEqualTo(inProcess(9));
    }

    @Test
    void startedWhileTheStoreIsDownItIsNotReadyAndAnswersUnavailableThenServesOnceTheStoreIsBack() throws Exception {
        upload(3);
        LocalInfra.infra("stop", "s3");
        service.start("sampler-no-store", settings, Map.of(), false);
        assertThat(service.readiness()).as("not ready while the store is away").isEqualTo(503);
        assertThatThrownBy(() -> sampler.getModel(GetModelRequest.newBuilder().setRunId(RUN).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).contains("object store", RUN, "retry later");
                });
        LocalInfra.infra("start", "s3");
        Readiness.await("sampler", PORT);
        ModelInfo info = SamplerCalls.awaitModel(sampler, RUN, Duration.ofSeconds(60), m -> m.getCheckpoint().getGeneratorStep() == 3);
        assertThat(info.getCheckpoint().getRunId()).isEqualTo(RUN);
        assertThat(samples()).isEqualTo(inProcess(3));
    }

    private CheckpointRef upload(int step) throws InterruptedException {
        return store.upload(RUN, step, TestCheckpoints.moons(step), () -> true, e -> { });
    }

    private long servedStep() {
        return sampler.getModel(GetModelRequest.newBuilder().setRunId(RUN).build()).getCheckpoint().getGeneratorStep();
    }

    /** The samples of {@link #SEEDS} from the run's served model (Float.equals compares bits). */
    private List<Float> samples() {
        return samples(GenerateRequest.newBuilder());
    }

    /** The samples of {@link #SEEDS} from the run's checkpoint at {@code step}. */
    private List<Float> samples(long step) {
        return samples(GenerateRequest.newBuilder().setStep(step));
    }

    private List<Float> samples(GenerateRequest.Builder request) {
        request.setRunId(RUN).addAllSeeds(LongStream.of(SEEDS).boxed().toList()).setN(SEEDS.length);
        return sampler.generate(request.build()).getSamples().getValuesList();
    }

    /** The same samples made in this process from the local checkpoint. */
    private static List<Float> inProcess(int step) {
        try (GeneratorModel model = GeneratorModel.load(TestCheckpoints.moons(step))) {
            float[] values = model.generate(SEEDS).data().asFloat();
            List<Float> list = new ArrayList<>();
            for (float v : values) {
                list.add(v);
            }
            return list;
        }
    }

    /** Starts the packaged sampler with this test's settings; waits until it is ready (its store runs loaded). */
    private Process launch(String name) throws IOException, InterruptedException {
        return service.start(name, settings, Map.of(), true);
    }
}
