package dev.mmdgan.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.api.v1.GenerateRequest;
import dev.mmdgan.api.v1.GenerateResponse;
import dev.mmdgan.api.v1.SamplerServiceGrpc;
import dev.mmdgan.engine.model.GeneratorModel;
import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.events.EventPublisher;
import dev.mmdgan.service.storage.CheckpointStore;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hot swap under load: 16 clients call Generate for 30 s while a new checkpoint's event arrives every 2 s. No request
 * fails, every response names its model, no client ever sees an older model after a newer one, several swaps land
 * during the load, the sampler ends on the last checkpoint, and each step's first answer equals the engine's output
 * for that checkpoint in-process.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "swap"))
class SwapUnderLoadTest {

    private static final int CLIENTS = 16;
    private static final Duration LOAD = Duration.ofSeconds(30);
    private static final Duration EVERY = Duration.ofSeconds(2);

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8083")
    int port;

    @Inject
    CheckpointStore store;

    @Inject
    EventPublisher publisher;

    @Inject
    KafkaConfig kafka;

    /** The first response seen of each step, to check against the engine. */
    private final Map<Long, GenerateResponse> firstOfStep = new ConcurrentHashMap<>();

    @Test
    @Timeout(180)
    void sixteenClientsSeeNoFailureWhileACheckpointArrivesEveryTwoSeconds() throws Exception {
        SamplerCalls.awaitReady(port);
        ManagedChannel channel = SamplerCalls.channel(port);
        SamplerServiceGrpc.SamplerServiceBlockingStub stub = SamplerCalls.sampler(channel);
        SamplerCalls.publish(store, publisher, kafka, "swap", 1, TestCheckpoints.moons(1));
        SamplerCalls.awaitModel(stub, "swap", Duration.ofSeconds(30), m -> m.getCheckpoint().getGeneratorStep() == 1);
        // Uploaded before the clock starts (the run's listing was read at its first request, so the sampler learns of
        // each only from its event): on a loaded 2-core machine an upload can take longer than the 2 s between events.
        List<dev.mmdgan.api.v1.CheckpointRef> refs = new ArrayList<>();
        for (int s = 2; s <= TestCheckpoints.MOONS_STEPS; s++) {
            refs.add(store.upload("swap", s, TestCheckpoints.moons(s), () -> true, e -> { }));
        }

        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long end = System.nanoTime() + LOAD.toNanos();
        AtomicLong calls = new AtomicLong();
        List<Future<List<String>>> clients = new ArrayList<>();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    List<String> failures = new ArrayList<>();
                    long lastStep = 0;
                    for (long i = 0; System.nanoTime() < end; i++) {
                        try {
                            GenerateResponse r = stub.generate(GenerateRequest.newBuilder().setRunId("swap").setN(4).setSeed(7).build());
                            calls.incrementAndGet();
                            long step = r.getModel().getCheckpoint().getGeneratorStep();
                            if (!r.getModel().getCheckpoint().getRunId().equals("swap") || step < 1 || r.getModel().getCheckpoint().getUri().isEmpty()) {
                                failures.add("client " + client + ": a response without its model: " + r.getModel());
                            }
                            if (step < lastStep) {
                                failures.add("client " + client + ": step " + step + " after step " + lastStep);
                            }
                            lastStep = step;
                            firstOfStep.putIfAbsent(step, r);
                        } catch (RuntimeException e) {
                            failures.add("client " + client + " call " + i + ": " + e);
                        }
                    }
                    return failures;
                }));
            }
            int published = 1;
            long start = System.nanoTime();
            while (published < TestCheckpoints.MOONS_STEPS) {
                long next = start + published * EVERY.toNanos();
                if (next > end - EVERY.toNanos()) {
                    break;
                }
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
                SamplerCalls.announce(publisher, kafka, refs.get(published - 1));
                published++;
            }
            List<String> failures = new ArrayList<>();
            for (Future<List<String>> f : clients) {
                failures.addAll(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(failures).isEmpty();
            assertThat(published).isGreaterThanOrEqualTo(12);
            int last = published;
            SamplerCalls.awaitModel(stub, "swap", Duration.ofSeconds(30), m -> m.getCheckpoint().getGeneratorStep() == last);
            // Swaps land while the clients run (each load takes a few seconds on a loaded 2-core machine).
            assertThat(firstOfStep.keySet()).hasSizeGreaterThanOrEqualTo(3);
            System.out.printf("swap under load: %d calls by %d clients in %s, %d checkpoints published, %d steps seen%n",
                    calls.get(), CLIENTS, LOAD, published, firstOfStep.size());
        } finally {
            pool.shutdownNow();
            channel.shutdownNow();
        }
        // Each step's answer is that checkpoint's output: the response named the model it really came from.
        for (Map.Entry<Long, GenerateResponse> e : firstOfStep.entrySet()) {
            try (GeneratorModel local = GeneratorModel.load(TestCheckpoints.moons(e.getKey().intValue()))) {
                float[] want = local.generate(new long[] {7, 8, 9, 10}).dup('c').data().asFloat();
                List<Float> got = e.getValue().getSamples().getValuesList();
                for (int i = 0; i < want.length; i++) {
                    assertThat(got.get(i)).as("step %d value %d", e.getKey(), i).isEqualTo(want[i]);
                }
            }
        }
    }
}
