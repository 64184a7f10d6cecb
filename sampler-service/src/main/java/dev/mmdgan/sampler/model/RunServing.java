package dev.mmdgan.sampler.model;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the sampler knows of one run: its checkpoints, their KIDs, the rejected ones, and the step it serves. Events
 * arrive at least once and in any order: a repeat or an older step changes nothing the policy would not choose anyway,
 * and a swap lands only if its step is still the policy's choice when its load finishes. Thread-safe.
 */
public final class RunServing {

    /** What is served: step, since when, and why. */
    public record Served(long step, Instant since, String reason) {
    }

    private final String runId;
    private final ServingPolicy policy;
    private final TreeSet<Long> checkpoints = new TreeSet<>();
    private final Map<Long, Double> kids = new HashMap<>();
    private final Set<Long> rejected = new HashSet<>();
    private boolean listed;
    private Served served;
    private Long loading;

    public RunServing(String runId, ServingPolicy policy) {
        this.runId = runId;
        this.policy = policy;
    }

    public String runId() {
        return runId;
    }

    public ServingPolicy policy() {
        return policy;
    }

    /** A checkpoint exists (an event, or a listing of the store). */
    public synchronized void checkpoint(long step) {
        checkpoints.add(step);
    }

    /** The store's checkpoints were read once (on the first request); events keep the set current afterwards. */
    public synchronized void listed(Iterable<Long> steps) {
        steps.forEach(checkpoints::add);
        listed = true;
    }

    public synchronized boolean isListed() {
        return listed;
    }

    /** An evaluation's KID of the checkpoint at {@code step} (which therefore exists); the latest report wins. */
    public synchronized void evaluated(long step, double kid) {
        checkpoints.add(step);
        kids.put(step, kid);
    }

    public synchronized OptionalDouble kid(long step) {
        Double k = kids.get(step);
        return k == null ? OptionalDouble.empty() : OptionalDouble.of(k);
    }

    /** A checkpoint that failed to download, verify or load: never chosen again. */
    public synchronized void rejected(long step) {
        rejected.add(step);
    }

    public synchronized boolean isRejected(long step) {
        return rejected.contains(step);
    }

    /** The policy's choice now. */
    public synchronized Optional<ServingPolicy.Choice> target() {
        return policy.choose(checkpoints, kids, rejected);
    }

    /**
     * The step whose load should start now: the target when it is neither served nor already loading (then it is
     * marked loading), else empty. Only a run that serves something swaps in the background.
     */
    public synchronized Optional<ServingPolicy.Choice> nextSwap() {
        if (served == null) {
            return Optional.empty();
        }
        Optional<ServingPolicy.Choice> t = target();
        if (t.isEmpty() || t.get().step() == served.step() || Long.valueOf(t.get().step()).equals(loading)) {
            return Optional.empty();
        }
        loading = t.get().step();
        return t;
    }

    /** A background load ended (swapped or rejected). */
    public synchronized void loadEnded(long step) {
        if (Long.valueOf(step).equals(loading)) {
            loading = null;
        }
    }

    /**
     * The model at {@code step} is loaded and warm: serve it if the policy prefers it to what is served now (between
     * the two alone). A newer event may have moved the target while it loaded; the swap still lands when it is an
     * improvement (so under a stream of checkpoints faster than a load, the served step still moves forward) and the
     * target's own load swaps again after it. Returns whether this changed what is served.
     */
    public synchronized boolean swapped(long step, Instant now) {
        if (served != null && served.step() == step) {
            return false;
        }
        TreeSet<Long> pair = new TreeSet<>();
        pair.add(step);
        if (served != null) {
            pair.add(served.step());
        }
        Optional<ServingPolicy.Choice> preferred = policy.choose(pair, kids, rejected);
        if (preferred.isEmpty() || preferred.get().step() != step) {
            return false;
        }
        served = new Served(step, now, preferred.get().reason());
        return true;
    }

    /** What is served, if anything yet. */
    public synchronized Optional<Served> served() {
        if (served != null) {
            // The reason follows the policy (e.g. a KID reported after the swap).
            Optional<ServingPolicy.Choice> t = target();
            if (t.isPresent() && t.get().step() == served.step() && !t.get().reason().equals(served.reason())) {
                served = new Served(served.step(), served.since(), t.get().reason());
            }
        }
        return Optional.ofNullable(served);
    }
}
