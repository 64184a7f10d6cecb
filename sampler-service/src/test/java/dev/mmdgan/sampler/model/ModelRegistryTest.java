package dev.mmdgan.sampler.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.service.api.ApiErrors;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Serving and hot swaps on in-memory fakes (background loads run inline): first-request loads, events in any order and
 * repeated, rejected checkpoints, the best-by-KID policy, and leases that outlive a swap.
 */
@Timeout(20)
class ModelRegistryTest {

    private final InMemoryCheckpoints store = new InMemoryCheckpoints();
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final ModelRegistry.Listener listener = new ModelRegistry.Listener() {
        @Override
        public void swapped(ServedModel model, RunServing run, RunServing.Served served) {
            reports.add("swapped " + model);
        }

        @Override
        public void rejected(String runId, long step, Throwable why) {
            reports.add("rejected " + runId + "@" + step);
        }
    };

    private ModelRegistry registry(Map<String, String> policies) {
        return new ModelRegistry(new ModelCache(4, Long.MAX_VALUE, store), store,
                run -> ServingPolicy.parse(policies.getOrDefault(run, "latest")), Runnable::run, listener,
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    private static long served(ModelRegistry registry, String run) {
        try (ModelRegistry.Lease lease = registry.acquire(run)) {
            return lease.model().step();
        }
    }

    @Test
    void theFirstRequestLoadsTheNewestAndEachNewerCheckpointIsSwappedIn() {
        store.add("r", 10, 20);
        ModelRegistry registry = registry(Map.of());
        assertThat(served(registry, "r")).isEqualTo(20);
        store.add("r", 30);
        registry.checkpointPublished("r", 30);
        assertThat(served(registry, "r")).isEqualTo(30);
        assertThat(reports).containsExactly("swapped r@20", "swapped r@30");
        try (ModelRegistry.Lease lease = registry.acquire("r")) {
            assertThat(lease.served().orElseThrow().reason()).isEqualTo("newest verified checkpoint");
            assertThat(lease.served().orElseThrow().since()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        }
    }

    @Test
    void repeatedAndOlderEventsChangeNothing() {
        store.add("r", 10, 20, 30);
        ModelRegistry registry = registry(Map.of());
        assertThat(served(registry, "r")).isEqualTo(30);
        registry.checkpointPublished("r", 30);
        registry.checkpointPublished("r", 20);
        registry.checkpointPublished("r", 10);
        assertThat(served(registry, "r")).isEqualTo(30);
        assertThat(store.loads).containsExactly("r@30");
    }

    @Test
    void eventsOfRunsNobodyAskedForLoadNothing() {
        store.add("r", 10);
        ModelRegistry registry = registry(Map.of());
        registry.checkpointPublished("r", 10);
        registry.evaluated("r", 10, 0.5);
        assertThat(store.loads).isEmpty();
    }

    @Test
    void aCorruptCheckpointIsRejectedAndTheOldModelKeepsServing() {
        store.add("r", 10);
        ModelRegistry registry = registry(Map.of());
        assertThat(served(registry, "r")).isEqualTo(10);
        store.add("r", 20);
        store.corrupt.add("r@20");
        registry.checkpointPublished("r", 20);
        assertThat(served(registry, "r")).isEqualTo(10);
        assertThat(reports).containsExactly("swapped r@10", "rejected r@20");
        registry.checkpointPublished("r", 20); // a repeat: not tried again
        assertThat(store.loads).containsExactly("r@10", "r@20");
        store.add("r", 30);
        registry.checkpointPublished("r", 30);
        assertThat(served(registry, "r")).isEqualTo(30);
    }

    @Test
    void aFirstRequestSkipsACorruptNewestCheckpoint() {
        store.add("r", 10, 20);
        store.corrupt.add("r@20");
        ModelRegistry registry = registry(Map.of());
        assertThat(served(registry, "r")).isEqualTo(10);
        assertThat(reports).containsExactly("rejected r@20", "swapped r@10");
    }

    @Test
    void bestFollowsEvaluationsInAnyOrder() {
        store.add("r", 10, 20, 30);
        ModelRegistry registry = registry(Map.of("r", "best"));
        assertThat(served(registry, "r")).isEqualTo(30); // nothing evaluated yet
        registry.evaluated("r", 20, 0.2);
        assertThat(served(registry, "r")).isEqualTo(20);
        registry.evaluated("r", 10, 0.5); // worse: no swap
        registry.evaluated("r", 20, 0.2); // repeat
        assertThat(served(registry, "r")).isEqualTo(20);
        registry.checkpointPublished("r", 40); // newer but unevaluated: best stays
        assertThat(served(registry, "r")).isEqualTo(20);
        store.add("r", 40);
        registry.evaluated("r", 40, 0.05);
        try (ModelRegistry.Lease lease = registry.acquire("r")) {
            assertThat(lease.model().step()).isEqualTo(40);
            assertThat(lease.served().orElseThrow().reason()).isEqualTo("lowest KID so far (0.05 at step 40)");
            assertThat(lease.run().kid(40)).hasValue(0.05);
        }
    }

    @Test
    void checkpointsFasterThanALoadStillMoveTheServedStepForward() {
        List<Runnable> loads = new java.util.ArrayList<>();
        store.add("r", 10, 20, 30, 40);
        ModelRegistry registry = new ModelRegistry(new ModelCache(4, Long.MAX_VALUE, store), store,
                run -> new ServingPolicy.Latest(), loads::add, listener, Clock.systemUTC());
        store.steps.get("r").removeAll(List.of(20L, 30L, 40L)); // the listing at the first request sees 10 only
        assertThat(served(registry, "r")).isEqualTo(10);
        store.add("r", 20, 30, 40);
        registry.checkpointPublished("r", 20);
        registry.checkpointPublished("r", 30); // arrives while 20 loads
        loads.remove(0).run(); // 20 is ready: better than 10 though no longer the newest
        assertThat(served(registry, "r")).isEqualTo(20);
        registry.checkpointPublished("r", 40);
        while (!loads.isEmpty()) {
            loads.remove(0).run();
        }
        assertThat(served(registry, "r")).isEqualTo(40);
        registry.checkpointPublished("r", 30); // late and older: nothing
        assertThat(loads).isEmpty();
        assertThat(reports).containsSubsequence("swapped r@10", "swapped r@20", "swapped r@40");
    }

    @Test
    void underBestAStaleLoadDoesNotReplaceABetterModel() {
        List<Runnable> loads = new java.util.ArrayList<>();
        store.add("r", 10, 20);
        ModelRegistry registry = new ModelRegistry(new ModelCache(4, Long.MAX_VALUE, store), store,
                run -> new ServingPolicy.Best(), loads::add, listener, Clock.systemUTC());
        registry.evaluated("r", 10, 0.1);
        assertThat(served(registry, "r")).isEqualTo(10);
        registry.evaluated("r", 20, 0.05); // 20 becomes the target and starts loading
        registry.evaluated("r", 20, 0.5); // a later report of 20 says it is worse after all
        loads.remove(0).run();
        assertThat(served(registry, "r")).isEqualTo(10);
    }

    @Test
    void aLeaseFinishesOnItsModelAcrossASwapAndEviction() {
        store.add("r", 1);
        ModelRegistry registry = new ModelRegistry(new ModelCache(1, Long.MAX_VALUE, store), store, run -> new ServingPolicy.Latest(),
                Runnable::run, listener, Clock.systemUTC());
        ModelRegistry.Lease inFlight = registry.acquire("r");
        store.add("r", 2);
        registry.checkpointPublished("r", 2);
        assertThat(served(registry, "r")).isEqualTo(2);
        assertThat(inFlight.model().step()).isEqualTo(1);
        assertThat(inFlight.model().generator().generate(new float[4], 1)).hasSize(2);
        inFlight.close();
        assertThat(store.generators.get("r@1").closed).isTrue();
    }

    @Test
    void unknownRunsAndStepsAreNotFound() {
        store.add("r", 10);
        ModelRegistry registry = registry(Map.of("p", "pinned:5"));
        assertThatThrownBy(() -> registry.acquire("nope")).isInstanceOf(ApiErrors.NotFound.class)
                .hasMessage("run_id: no run 'nope' with a checkpoint in the store");
        assertThat(registry.find("nope")).isEmpty();
        assertThatThrownBy(() -> registry.acquire("r", 11)).isInstanceOf(ApiErrors.NotFound.class)
                .hasMessage("step: run 'r' has no complete checkpoint at step 11");
        store.add("p", 10);
        assertThatThrownBy(() -> registry.acquire("p")).isInstanceOf(ApiErrors.NotFound.class)
                .hasMessage("run_id 'p' has no checkpoint at its pinned step 5");
        try (ModelRegistry.Lease lease = registry.acquire("r", 10)) {
            assertThat(lease.served()).isEmpty();
        }
    }
}
