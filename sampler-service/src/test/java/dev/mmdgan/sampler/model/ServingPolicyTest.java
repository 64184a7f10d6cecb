package dev.mmdgan.sampler.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ServingPolicyTest {

    private final TreeSet<Long> steps = new TreeSet<>(java.util.List.of(10L, 20L, 30L));

    @Test
    void latestIsTheNewestCheckpointNotRejected() {
        ServingPolicy latest = ServingPolicy.parse("latest");
        assertThat(latest.choose(steps, Map.of(), Set.of()).orElseThrow().step()).isEqualTo(30);
        assertThat(latest.choose(steps, Map.of(), Set.of(30L)).orElseThrow().step()).isEqualTo(20);
        assertThat(latest.choose(new TreeSet<>(), Map.of(), Set.of())).isEmpty();
    }

    @Test
    void bestIsTheLowestKidNewerOnTiesAndLatestUntilAnEvaluation() {
        ServingPolicy best = ServingPolicy.parse("BEST");
        assertThat(best.choose(steps, Map.of(), Set.of()).orElseThrow())
                .isEqualTo(new ServingPolicy.Choice(30, "no evaluation yet: newest verified checkpoint"));
        assertThat(best.choose(steps, Map.of(10L, 0.5, 20L, 0.1, 30L, 0.3), Set.of()).orElseThrow().step()).isEqualTo(20);
        assertThat(best.choose(steps, Map.of(10L, 0.1, 20L, 0.1), Set.of()).orElseThrow().step()).isEqualTo(20);
        assertThat(best.choose(steps, Map.of(10L, 0.5, 20L, 0.1), Set.of(20L)).orElseThrow().step()).isEqualTo(10);
        assertThat(best.choose(steps, Map.of(10L, 0.5, 20L, Double.NaN), Set.of()).orElseThrow().step()).isEqualTo(10);
        assertThat(best.choose(steps, Map.of(20L, 0.25), Set.of()).orElseThrow().reason()).contains("0.25").contains("step 20");
    }

    @Test
    void pinnedIsItsStepAndParsingNamesWhatIsAllowed() {
        assertThat(ServingPolicy.parse("pinned:20")).isEqualTo(new ServingPolicy.Pinned(20));
        assertThat(ServingPolicy.parse("40")).isEqualTo(new ServingPolicy.Pinned(40));
        assertThat(new ServingPolicy.Pinned(20).choose(steps, Map.of(), Set.of(20L))).isEmpty();
        assertThat(new ServingPolicy.Pinned(20).label()).isEqualTo("pinned:20");
        assertThatThrownBy(() -> ServingPolicy.parse("newest")).hasMessage(
                "a serving policy is 'latest', 'best' or 'pinned:STEP' (STEP ≥ 0), got 'newest'");
        assertThatThrownBy(() -> ServingPolicy.parse("pinned:-1")).isInstanceOf(IllegalArgumentException.class);
    }
}
