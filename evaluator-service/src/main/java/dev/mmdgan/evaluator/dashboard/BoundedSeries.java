package dev.mmdgan.evaluator.dashboard;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * Points keyed by generator step, at most {@code capacity} of them. A point for a step already held replaces it (a
 * replayed or repeated event changes nothing). Past the capacity, the point whose neighbours are closest together is
 * dropped, outside the newest quarter: the history thins out evenly from its first point on (the widest gap stays
 * within a small multiple of steps / capacity) while the newest points keep full resolution. Not thread-safe.
 */
final class BoundedSeries<P> {

    private final int capacity;
    private final TreeMap<Long, P> points = new TreeMap<>();

    BoundedSeries(int capacity) {
        if (capacity < 4) {
            throw new IllegalArgumentException("capacity must be at least 4, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds or replaces the point of {@code step}; true when the step was not held before. */
    boolean put(long step, P point) {
        boolean added = points.put(step, point) == null;
        if (points.size() > capacity) {
            thin();
        }
        return added;
    }

    /** Drops the interior point (not among the newest quarter) whose neighbours are closest. */
    private void thin() {
        int candidates = points.size() - capacity / 4; // points 1 .. candidates - 1: interior, not the newest quarter
        Iterator<Long> it = points.keySet().iterator();
        long previous = it.next();
        long current = it.next();
        long drop = current;
        long narrowest = Long.MAX_VALUE;
        for (int i = 1; i < candidates && it.hasNext(); i++) {
            long next = it.next();
            if (next - previous < narrowest) {
                narrowest = next - previous;
                drop = current;
            }
            previous = current;
            current = next;
        }
        points.remove(drop);
    }

    List<P> values() {
        return new ArrayList<>(points.values());
    }

    P last() {
        return points.isEmpty() ? null : points.lastEntry().getValue();
    }

    int size() {
        return points.size();
    }
}
