package dev.mmdgan.evaluator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BoundedSeriesTest {

    @Test
    void keepsEveryPointUpToItsCapacity() {
        BoundedSeries<Long> s = new BoundedSeries<>(100);
        LongStream.rangeClosed(1, 100).forEach(i -> s.put(i * 10, i));
        assertThat(s.values()).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
    }

    @Test
    void aRepeatedStepReplacesItsPoint() {
        BoundedSeries<String> s = new BoundedSeries<>(10);
        assertThat(s.put(5, "a")).isTrue();
        assertThat(s.put(5, "b")).isFalse();
        assertThat(s.put(3, "c")).isTrue();
        assertThat(s.values()).containsExactly("c", "b");
        assertThat(s.last()).isEqualTo("b");
    }

    @Test
    void pastItsCapacityItThinsTheHistoryEvenlyAndKeepsTheFirstAndNewestPoints() {
        int capacity = 200;
        BoundedSeries<Long> s = new BoundedSeries<>(capacity);
        long n = 100_000;
        for (long step = 1; step <= n; step++) {
            s.put(step, step);
            assertThat(s.size()).isLessThanOrEqualTo(capacity);
        }
        List<Long> kept = s.values();
        assertThat(kept.get(0)).isEqualTo(1L);
        assertThat(kept.get(kept.size() - 1)).isEqualTo(n);
        assertThat(kept).isSorted();
        // The newest quarter of the capacity has every step.
        List<Long> newest = kept.subList(kept.size() - capacity / 4, kept.size());
        assertThat(newest).containsExactlyElementsOf(LongStream.rangeClosed(n - capacity / 4 + 1, n).boxed().toList());
        // The history stays spread evenly over the whole run: no gap wider than a few times steps / capacity.
        long widest = 0;
        for (int i = 1; i < kept.size(); i++) {
            widest = Math.max(widest, kept.get(i) - kept.get(i - 1));
        }
        assertThat(widest).isLessThan(4 * n / capacity);
    }

    @Test
    void refusesATinyCapacity() {
        assertThatThrownBy(() -> new BoundedSeries<>(3)).hasMessageContaining("capacity must be at least 4, got 3");
    }
}
