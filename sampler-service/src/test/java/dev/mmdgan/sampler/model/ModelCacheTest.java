package dev.mmdgan.sampler.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The model cache on fakes: LRU by count and by bytes, one load per key, evicted models close after their last lease. */
@Timeout(20)
class ModelCacheTest {

    private final InMemoryCheckpoints store = new InMemoryCheckpoints();

    @Test
    void theLeastRecentlyUsedGoesFirstWhenTheCountIsExceeded() throws Exception {
        store.add("a", 1, 2, 3);
        ModelCache cache = new ModelCache(2, Long.MAX_VALUE, store);
        cache.acquire("a", 1).release();
        cache.acquire("a", 2).release();
        cache.acquire("a", 1).release(); // 1 used more recently than 2
        cache.acquire("a", 3).release();
        assertThat(cache.keys()).containsExactly("a@1", "a@3");
        assertThat(store.generators.get("a@2").closed).isTrue();
        assertThat(store.generators.get("a@1").closed).isFalse();
        assertThat(cache.evictions()).isEqualTo(1);
    }

    @Test
    void theByteBoundEvictsToo() throws Exception {
        store.add("a", 1, 2, 3);
        store.bytesPerModel = 400;
        ModelCache cache = new ModelCache(10, 1000, store);
        cache.acquire("a", 1).release();
        cache.acquire("a", 2).release();
        assertThat(cache.bytes()).isEqualTo(800);
        cache.acquire("a", 3).release();
        assertThat(cache.keys()).containsExactly("a@2", "a@3");
        assertThat(cache.bytes()).isEqualTo(800);
    }

    @Test
    void anEvictedModelServesItsLeasesToTheEndThenCloses() throws Exception {
        store.add("a", 1, 2);
        ModelCache cache = new ModelCache(1, Long.MAX_VALUE, store);
        ServedModel leased = cache.acquire("a", 1);
        cache.acquire("a", 2).release(); // evicts 1 while it is leased
        assertThat(cache.keys()).containsExactly("a@2");
        assertThat(leased.closed()).isFalse();
        assertThat(leased.generator().generate(new float[4], 1)).hasSize(2);
        leased.release();
        assertThat(leased.closed()).isTrue();
        assertThat(leased.retain()).isFalse();
        // asked again: loaded again
        ServedModel again = cache.acquire("a", 1);
        assertThat(again).isNotSameAs(leased);
        again.release();
    }

    @Test
    void concurrentFirstRequestsShareOneLoad() throws Exception {
        store.add("a", 7);
        CountDownLatch go = new CountDownLatch(1);
        ModelCache cache = new ModelCache(2, Long.MAX_VALUE, (run, step) -> {
            go.await(5, TimeUnit.SECONDS);
            return store.load(run, step);
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ServedModel>> got = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                got.add(pool.submit(() -> cache.acquire("a", 7)));
            }
            Thread.sleep(100);
            go.countDown();
            ServedModel first = got.get(0).get(5, TimeUnit.SECONDS);
            for (Future<ServedModel> f : got) {
                assertThat(f.get(5, TimeUnit.SECONDS)).isSameAs(first);
            }
            assertThat(store.loads).containsExactly("a@7");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void failedLoadsAreNotCachedAndMissingCheckpointsSaySo() {
        store.add("a", 1);
        store.corrupt.add("a@1");
        ModelCache cache = new ModelCache(2, Long.MAX_VALUE, store);
        assertThatThrownBy(() -> cache.acquire("a", 1)).hasMessageContaining("does not match");
        assertThatThrownBy(() -> cache.acquire("a", 2)).isInstanceOf(ModelCache.CheckpointMissing.class);
        assertThat(cache.size()).isZero();
    }
}
