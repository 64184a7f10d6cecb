package dev.mmdgan.sampler.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.Provenance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dynamic batching on a fake generator: merged calls, each caller its own rows, the bound, cancellation. */
@Timeout(20)
class BatchingQueueTest {

    private static final int DIM = 4;

    private static ServedModel model(FakeGenerator g) {
        return new ServedModel("r", 1, g, CheckpointRef.getDefaultInstance(), Provenance.getDefaultInstance(), Instant.EPOCH);
    }

    private static BatchingQueue queue(boolean enabled, int maxBatch, int maxQueued, AtomicInteger batches) {
        return new BatchingQueue(new BatchingQueue.Settings(enabled, maxBatch, Duration.ofMillis(20), maxQueued, 1),
                (requests, rows, nanos) -> batches.incrementAndGet());
    }

    @Test
    void concurrentRequestsMergeAndEachGetsExactlyItsOwnSamples() throws Exception {
        FakeGenerator g = new FakeGenerator(DIM, 0.5f, 1);
        g.delayMillis = 30; // requests queue up behind the first call
        AtomicInteger batches = new AtomicInteger();
        ServedModel m = model(g);
        try (BatchingQueue q = queue(true, 256, 10_000, batches)) {
            List<long[]> seeds = new ArrayList<>();
            List<CompletableFuture<float[]>> results = new ArrayList<>();
            for (int r = 0; r < 40; r++) {
                long[] s = new long[1 + r % 3];
                for (int i = 0; i < s.length; i++) {
                    s[i] = 1000L * r + 7 * i; // per-sample seeds, different for every request
                }
                seeds.add(s);
                results.add(q.submit(m, Latents.ofSeeds(s, DIM, 0), s.length, () -> false));
            }
            for (int r = 0; r < 40; r++) {
                float[] got = results.get(r).get(5, TimeUnit.SECONDS);
                long[] s = seeds.get(r);
                assertThat(got).hasSize(2 * s.length);
                for (int i = 0; i < s.length; i++) {
                    float[] want = FakeGenerator.expected(dev.mmdgan.engine.model.LatentNoise.of(s[i], DIM), 0.5f);
                    assertThat(new float[] {got[2 * i], got[2 * i + 1]}).containsExactly(want);
                }
            }
            assertThat(g.rows.get()).isEqualTo(seeds.stream().mapToInt(s -> s.length).sum());
            assertThat(g.calls.get()).isLessThan(10); // 40 requests in a few generator calls
            assertThat(batches.get()).isEqualTo(g.calls.get());
        }
    }

    @Test
    void disabledEveryRequestRunsAlone() throws Exception {
        FakeGenerator g = new FakeGenerator(DIM, 0, 1);
        g.delayMillis = 5;
        ServedModel m = model(g);
        try (BatchingQueue q = queue(false, 256, 10_000, new AtomicInteger())) {
            List<CompletableFuture<float[]>> results = new ArrayList<>();
            for (int r = 0; r < 10; r++) {
                results.add(q.submit(m, Latents.ofSeeds(new long[] {r}, DIM, 0), 1, () -> false));
            }
            for (var f : results) {
                f.get(5, TimeUnit.SECONDS);
            }
            assertThat(g.calls.get()).isEqualTo(10);
        }
    }

    @Test
    void batchesNeverMixModelsOrExceedTheMaxBatch() throws Exception {
        FakeGenerator a = new FakeGenerator(DIM, 1, 1);
        FakeGenerator b = new FakeGenerator(DIM, 2, 1);
        a.delayMillis = 20;
        try (BatchingQueue q = queue(true, 4, 10_000, new AtomicInteger())) {
            ServedModel ma = model(a);
            ServedModel mb = model(b);
            List<CompletableFuture<float[]>> fa = new ArrayList<>();
            List<CompletableFuture<float[]>> fb = new ArrayList<>();
            for (int r = 0; r < 9; r++) {
                fa.add(q.submit(ma, Latents.ofSeeds(new long[] {r}, DIM, 0), 1, () -> false));
                fb.add(q.submit(mb, Latents.ofSeeds(new long[] {r}, DIM, 0), 1, () -> false));
            }
            for (int r = 0; r < 9; r++) {
                float[] z = Latents.ofSeeds(new long[] {r}, DIM, 0);
                assertThat(fa.get(r).get(5, TimeUnit.SECONDS)).containsExactly(FakeGenerator.expected(z, 1));
                assertThat(fb.get(r).get(5, TimeUnit.SECONDS)).containsExactly(FakeGenerator.expected(z, 2));
            }
            assertThat(a.calls.get()).isGreaterThanOrEqualTo(3); // 9 rows, at most 4 a call
        }
    }

    @Test
    void aFullQueueRefusesAtOnceAndCancelledRequestsUseNoCompute() throws Exception {
        FakeGenerator g = new FakeGenerator(DIM, 0, 1);
        g.gate = new java.util.concurrent.CountDownLatch(1);
        ServedModel m = model(g);
        try (BatchingQueue q = queue(true, 1, 10, new AtomicInteger())) {
            var first = q.submit(m, Latents.ofSeeds(new long[] {1}, DIM, 0), 1, () -> false); // taken by the worker
            while (q.queuedRows() > 0) { // until the worker holds it
                Thread.sleep(5);
            }
            var cancelled = q.submit(m, Latents.ofSeeds(new long[] {2, 3, 4, 5, 6, 7, 8, 9}, DIM, 0), 8, () -> true);
            assertThat(q.queuedRows()).isEqualTo(8);
            assertThatThrownBy(() -> q.submit(m, Latents.ofSeeds(new long[] {1, 2, 3}, DIM, 0), 3, () -> false))
                    .isInstanceOf(BatchingQueue.Overloaded.class)
                    .hasMessageContaining("limit of 10 queued samples (mmdgan.sampler.max-queued-samples; 8 queued, this request adds 3)");
            g.gate.countDown();
            first.get(5, TimeUnit.SECONDS);
            assertThatThrownBy(() -> cancelled.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
            assertThat(g.rows.get()).isEqualTo(1);
            assertThat(q.queuedRows()).isZero();
        }
    }

    @Test
    void aFailingGeneratorFailsItsCallersAndTheWorkerGoesOn() throws Exception {
        FakeGenerator g = new FakeGenerator(DIM, 0, 1);
        g.close();
        FakeGenerator ok = new FakeGenerator(DIM, 0, 1);
        try (BatchingQueue q = queue(true, 64, 100, new AtomicInteger())) {
            var failed = q.submit(model(g), new float[DIM], 1, () -> false);
            assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS)).hasMessageContaining("closed");
            assertThat(q.submit(model(ok), new float[DIM], 1, () -> false).get(5, TimeUnit.SECONDS)).hasSize(2);
        }
    }

    @Test
    void pathsStartAndEndAtTheirEndPointsAndSlerpKeepsTheNormOfEqualNormEnds() {
        float[] a = {1, 0, 0, 0};
        float[] b = {0, 1, 0, 0};
        float[] linear = Latents.path(a, b, 3, false);
        assertThat(linear).containsExactly(1, 0, 0, 0, 0.5f, 0.5f, 0, 0, 0, 1, 0, 0);
        float[] slerp = Latents.path(a, b, 3, true);
        float h = (float) Math.sqrt(0.5);
        assertThat(slerp[4]).isCloseTo(h, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(slerp[5]).isCloseTo(h, org.assertj.core.data.Offset.offset(1e-6f));
    }
}
