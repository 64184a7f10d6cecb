package dev.mmdgan.sampler.model;

import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.Provenance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** A store of fake checkpoints for the domain tests: steps per run, some corrupt; every load makes a FakeGenerator. */
final class InMemoryCheckpoints implements ModelRegistry.CheckpointIndex, ModelCache.Loader {

    final Map<String, TreeSet<Long>> steps = new ConcurrentHashMap<>();
    final Set<String> corrupt = ConcurrentHashMap.newKeySet();
    final List<String> loads = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Map<String, FakeGenerator> generators = new ConcurrentHashMap<>();
    long bytesPerModel = 100;

    void add(String run, long... more) {
        for (long s : more) {
            steps.computeIfAbsent(run, r -> new TreeSet<>()).add(s);
        }
    }

    @Override
    public synchronized List<Long> steps(String runId) {
        return new ArrayList<>(steps.getOrDefault(runId, new TreeSet<>()));
    }

    @Override
    public ServedModel load(String runId, long step) {
        loads.add(runId + "@" + step);
        if (!steps.getOrDefault(runId, new TreeSet<>()).contains(step)) {
            throw new ModelCache.CheckpointMissing("no checkpoint " + runId + "@" + step);
        }
        if (corrupt.contains(runId + "@" + step)) {
            throw new IllegalArgumentException("MANIFEST.sha256: generator.sd does not match its SHA-256");
        }
        FakeGenerator g = new FakeGenerator(4, step, bytesPerModel);
        generators.put(runId + "@" + step, g);
        return new ServedModel(runId, step, g, CheckpointRef.newBuilder().setRunId(runId).setGeneratorStep(step).build(),
                Provenance.getDefaultInstance(), Instant.EPOCH);
    }
}
