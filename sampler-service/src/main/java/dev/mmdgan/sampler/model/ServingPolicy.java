package dev.mmdgan.sampler.model;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.NavigableSet;

/**
 * Which checkpoint of a run is served: {@code latest} (the newest verified checkpoint), {@code best} (the lowest KID
 * reported so far by the evaluator; the newest checkpoint until one is evaluated) or {@code pinned:STEP}.
 */
public sealed interface ServingPolicy {

    /** The step to serve and why. */
    record Choice(long step, String reason) {
    }

    /** The policy's name as GetModel reports it. */
    String label();

    /** The choice among the known {@code checkpoints} (rejected ones excluded by the caller) with the KIDs known. */
    Optional<Choice> choose(NavigableSet<Long> checkpoints, Map<Long, Double> kids, Set<Long> rejected);

    /** "latest", "best", "pinned:STEP" (or just a step), case-insensitive. */
    static ServingPolicy parse(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("latest")) {
            return new Latest();
        }
        if (t.equals("best")) {
            return new Best();
        }
        String step = t.startsWith("pinned:") ? t.substring("pinned:".length()) : t;
        try {
            long s = Long.parseLong(step);
            if (s >= 0) {
                return new Pinned(s);
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("a serving policy is 'latest', 'best' or 'pinned:STEP' (STEP ≥ 0), got '" + text + "'");
    }

    record Latest() implements ServingPolicy {
        @Override
        public String label() {
            return "latest";
        }

        @Override
        public Optional<Choice> choose(NavigableSet<Long> checkpoints, Map<Long, Double> kids, Set<Long> rejected) {
            return checkpoints.descendingSet().stream().filter(s -> !rejected.contains(s)).findFirst()
                    .map(s -> new Choice(s, "newest verified checkpoint"));
        }
    }

    record Best() implements ServingPolicy {
        @Override
        public String label() {
            return "best";
        }

        @Override
        public Optional<Choice> choose(NavigableSet<Long> checkpoints, Map<Long, Double> kids, Set<Long> rejected) {
            Long best = null;
            for (Map.Entry<Long, Double> e : kids.entrySet()) {
                long step = e.getKey();
                if (rejected.contains(step) || Double.isNaN(e.getValue())) {
                    continue;
                }
                double kid = e.getValue();
                // The lowest KID; among equal ones the newer checkpoint.
                if (best == null || kid < kids.get(best) || (kid == kids.get(best) && step > best)) {
                    best = step;
                }
            }
            if (best == null) {
                return new Latest().choose(checkpoints, kids, rejected)
                        .map(c -> new Choice(c.step(), "no evaluation yet: newest verified checkpoint"));
            }
            return Optional.of(new Choice(best, "lowest KID so far (" + kids.get(best) + " at step " + best + ")"));
        }
    }

    record Pinned(long step) implements ServingPolicy {
        @Override
        public String label() {
            return "pinned:" + step;
        }

        @Override
        public Optional<Choice> choose(NavigableSet<Long> checkpoints, Map<Long, Double> kids, Set<Long> rejected) {
            return rejected.contains(step) ? Optional.empty() : Optional.of(new Choice(step, "pinned by configuration"));
        }
    }
}
