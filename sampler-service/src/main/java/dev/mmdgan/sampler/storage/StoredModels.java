package dev.mmdgan.sampler.storage;

import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.Provenance;
import dev.mmdgan.engine.checkpoint.CheckpointProvenance;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.model.GeneratorModel;
import dev.mmdgan.sampler.SamplerConfig;
import dev.mmdgan.sampler.model.EngineGenerator;
import dev.mmdgan.sampler.model.ModelCache;
import dev.mmdgan.sampler.model.ModelRegistry;
import dev.mmdgan.sampler.model.ServedModel;
import dev.mmdgan.service.Provenances;
import dev.mmdgan.service.storage.CheckpointStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Models from the object store: a checkpoint is downloaded into the work folder, verified against its manifest,
 * loaded as an inference-only generator (the folder is deleted once the graph is in memory), and described by the
 * store's {@link CheckpointRef} and the provenance its {@code checkpoint.properties} records.
 */
@ApplicationScoped
public class StoredModels implements ModelRegistry.CheckpointIndex, ModelCache.Loader {

    @Inject
    CheckpointStore store;

    @Inject
    SamplerConfig config;

    @Override
    public List<Long> steps(String runId) throws Exception {
        TreeSet<Long> steps = new TreeSet<>();
        String prefix = CheckpointStore.runPrefix(runId) + "checkpoints/";
        for (String name : store.list(prefix)) {
            step(name.substring(prefix.length())).ifPresent(steps::add);
        }
        return new ArrayList<>(steps);
    }

    /** Runs with a complete checkpoint, the one with the highest step first (the preload order). */
    public List<String> runs() throws Exception {
        Map<String, Long> newest = new LinkedHashMap<>();
        for (String name : store.list("runs/")) {
            String[] parts = name.split("/");
            if (parts.length == 5 && parts[2].equals("checkpoints") && parts[4].equals(Checkpoints.MANIFEST)) {
                step(parts[3] + "/" + parts[4]).ifPresent(s -> newest.merge(parts[1], s, Math::max));
            }
        }
        return newest.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).map(Map.Entry::getKey).toList();
    }

    /** The step of "STEP/MANIFEST.sha256", if that is what {@code rest} is. */
    private static java.util.Optional<Long> step(String rest) {
        if (!rest.endsWith("/" + Checkpoints.MANIFEST) || rest.indexOf('/') != rest.length() - Checkpoints.MANIFEST.length() - 1) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Long.parseLong(rest.substring(0, rest.indexOf('/'))));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public ServedModel load(String runId, long step) throws Exception {
        if (!steps(runId).contains(step)) {
            throw new ModelCache.CheckpointMissing("run '" + runId + "' has no complete checkpoint at step " + step);
        }
        Path dir = config.workDir().resolve("models").resolve(runId + "-" + step + "-" + UUID.randomUUID());
        try {
            store.download(runId, step, dir); // verifies every file against the manifest
            GeneratorModel model = GeneratorModel.load(dir);
            CheckpointStore.Stored stored = store.describe(runId, step);
            CheckpointRef ref = stored.ref();
            Provenance provenance = Provenances.of(Checkpoints.metadata(dir), CheckpointProvenance.UNKNOWN).toBuilder()
                    .setCreatedAt(ref.getCreatedAt()).build();
            long bytes = Files.size(dir.resolve(Checkpoints.GENERATOR_GRAPH));
            return new ServedModel(runId, step, new EngineGenerator(model, bytes), ref, provenance, Instant.now());
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
