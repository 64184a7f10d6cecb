package dev.mmdgan.engine.checkpoint;

import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.core.io.Sha256;
import dev.mmdgan.engine.graph.Parameters;
import dev.mmdgan.engine.train.AdamOptimizer;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.RunSpec;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes and reads checkpoints under {@code RUN_DIR/checkpoints/step-NNNNNNNN/}:
 * <pre>
 *   checkpoint.properties   run description, step, learning rates, optimizer iterations, provenance
 *                           ({@link CheckpointProvenance}), the generator's signature ({@link GeneratorSignature})
 *   G__W0.npy, D__W0.npy …  weights (parameter name with '/' written as "__")
 *   adam/G__W0.M.npy …      Adam moments
 *   generator.sd            the generator as an inference-only SameDiff graph (input "z", output "samples")
 *   MANIFEST.sha256         "sha256  path" for every file above; written last
 * </pre>
 * A checkpoint is written to a temporary folder and renamed into place, so a crash leaves no half checkpoint.
 * Reading verifies the manifest first: a missing, truncated or altered file is an error naming the file.
 *
 * <p>Format 2 added the git commit, the data set's and the run configuration's SHA-256 and the generator's signature;
 * format-1 checkpoints still load (their missing provenance reads as "unknown").
 */
public final class Checkpoints {

    public static final String MANIFEST = "MANIFEST.sha256";
    public static final String METADATA = "checkpoint.properties";
    public static final String GENERATOR_GRAPH = "generator.sd";
    /** The format this build writes. */
    public static final int FORMAT_VERSION = 2;
    /** The oldest format this build reads. */
    public static final int OLDEST_READABLE_FORMAT = 1;

    private Checkpoints() {
    }

    /** Writes the trainer's current state; returns the checkpoint folder. */
    public static Path save(MmdGanTrainer trainer, RunSpec spec, Path runDir) {
        Path dir = runDir.resolve("checkpoints").resolve(String.format("step-%08d", trainer.completedSteps()));
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
        try {
            deleteRecursively(tmp);
            Files.createDirectories(tmp.resolve("adam"));
            writeNetwork(tmp, trainer.generatorParameters(), trainer.generatorOptimizer());
            writeNetwork(tmp, trainer.criticParameters(), trainer.criticOptimizer());
            Files.createDirectories(tmp.resolve("spectral-norm"));
            for (Map.Entry<String, INDArray> e : trainer.criticParameters().spectralNorm().state().entrySet()) {
                NpyArrays.write(tmp.resolve("spectral-norm").resolve(e.getKey().replace("/", "__") + ".npy"), e.getValue());
            }
            trainer.samplerGraph().save(tmp.resolve(GENERATOR_GRAPH).toFile(), false);

            Properties p = spec.toProperties();
            p.setProperty("format_version", Integer.toString(FORMAT_VERSION));
            p.setProperty("lr_generator.current", Double.toString(trainer.generatorOptimizer().learningRate()));
            p.setProperty("lr_critic.current", Double.toString(trainer.criticOptimizer().learningRate()));
            p.setProperty("adam.iteration.generator", Integer.toString(trainer.generatorOptimizer().iteration()));
            p.setProperty("adam.iteration.critic", Integer.toString(trainer.criticOptimizer().iteration()));
            p.setProperty("loss.coefficient.current", Double.toString(trainer.lossCoefficient()));
            CheckpointProvenance.of(trainer, spec).writeTo(p);
            GeneratorSignature.of(trainer).writeTo(p);
            p.setProperty("created_at", Instant.now().toString());
            try (Writer w = Files.newBufferedWriter(tmp.resolve(METADATA))) {
                p.store(w, "mmdgan checkpoint");
            }
            writeManifest(tmp);
            deleteRecursively(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + dir, e);
        }
    }

    /** The run description stored in a checkpoint (after verifying the manifest). */
    public static Properties metadata(Path checkpoint) {
        verify(checkpoint);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(checkpoint.resolve(METADATA))) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException(checkpoint + ": cannot read " + METADATA + " (" + e.getMessage() + ")");
        }
        int version = formatVersion(checkpoint, p.getProperty("format_version"));
        if (version < OLDEST_READABLE_FORMAT || version > FORMAT_VERSION) {
            throw new IllegalArgumentException(checkpoint + ": checkpoint format " + version + " is not supported; this build reads"
                    + " formats " + OLDEST_READABLE_FORMAT + " to " + FORMAT_VERSION
                    + (version > FORMAT_VERSION ? " (the checkpoint was written by a newer build)" : ""));
        }
        return p;
    }

    private static int formatVersion(Path checkpoint, String text) {
        try {
            return Integer.parseInt(String.valueOf(text).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(checkpoint + ": " + METADATA + " has no valid format_version (got '" + text + "')");
        }
    }

    /** A trainer restored from a checkpoint, with the run description it was built from. */
    public record Restored(MmdGanTrainer trainer, RunSpec spec) {
    }

    /** Builds a trainer from a checkpoint and restores weights, optimizer states, learning rates and step. */
    public static MmdGanTrainer load(Path checkpoint) {
        return restore(checkpoint).trainer();
    }

    /** As {@link #load}, also returning the run description (the manifest is verified once). */
    public static Restored restore(Path checkpoint) {
        Properties p = metadata(checkpoint);
        RunSpec spec = RunSpec.fromProperties(p);
        MmdGanTrainer trainer = spec.newTrainer();
        readNetwork(checkpoint, trainer.generatorParameters(), trainer.generatorOptimizer(),
                Integer.parseInt(p.getProperty("adam.iteration.generator")));
        readNetwork(checkpoint, trainer.criticParameters(), trainer.criticOptimizer(),
                Integer.parseInt(p.getProperty("adam.iteration.critic")));
        trainer.generatorOptimizer().setLearningRate(Double.parseDouble(p.getProperty("lr_generator.current")));
        trainer.criticOptimizer().setLearningRate(Double.parseDouble(p.getProperty("lr_critic.current")));
        for (Map.Entry<String, INDArray> e : trainer.criticParameters().spectralNorm().state().entrySet()) {
            e.getValue().assign(NpyArrays.readArray(checkpoint.resolve("spectral-norm").resolve(e.getKey().replace("/", "__") + ".npy")));
        }
        trainer.setLossCoefficient(Double.parseDouble(p.getProperty("loss.coefficient.current")));
        trainer.resumeAt(Long.parseLong(p.getProperty("step")));
        return new Restored(trainer, spec);
    }

    /** The checkpoint itself if {@code path} is one, else the latest checkpoint of the run folder {@code path}. */
    public static Path resolve(Path path) {
        if (Files.exists(path.resolve(MANIFEST))) {
            return path;
        }
        Path checkpoints = path.resolve("checkpoints");
        if (!Files.isDirectory(checkpoints)) {
            throw new IllegalArgumentException(path + " is neither a checkpoint nor a run folder with checkpoints/");
        }
        try (Stream<Path> dirs = Files.list(checkpoints)) {
            return dirs.filter(d -> d.getFileName().toString().matches("step-\\d+"))
                    .filter(d -> Files.exists(d.resolve(MANIFEST)))
                    .max(Comparator.comparing(d -> d.getFileName().toString()))
                    .orElseThrow(() -> new IllegalArgumentException(path + " has no complete checkpoint under checkpoints/"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeNetwork(Path dir, Parameters params, AdamOptimizer optimizer) {
        for (Map.Entry<String, INDArray> e : params.allArrays().entrySet()) {
            String file = e.getKey().replace("/", "__");
            NpyArrays.write(dir.resolve(file + ".npy"), e.getValue());
            if (params.stateArrays().containsKey(e.getKey())) {
                continue; // running statistics: no optimizer state
            }
            optimizer.state(e.getKey()).forEach((k, v) -> NpyArrays.write(dir.resolve("adam").resolve(file + "." + k + ".npy"), v));
        }
    }

    private static void readNetwork(Path dir, Parameters params, AdamOptimizer optimizer, int iteration) {
        Map<String, Map<String, INDArray>> states = new HashMap<>();
        for (Map.Entry<String, INDArray> e : params.allArrays().entrySet()) {
            String file = e.getKey().replace("/", "__");
            INDArray saved = NpyArrays.readArray(dir.resolve(file + ".npy"));
            if (!java.util.Arrays.equals(saved.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(dir + ": " + file + ".npy has shape " + java.util.Arrays.toString(saved.shape())
                        + " but the network expects " + java.util.Arrays.toString(e.getValue().shape()));
            }
            e.getValue().assign(saved);
            if (params.stateArrays().containsKey(e.getKey())) {
                continue;
            }
            Map<String, INDArray> state = new HashMap<>();
            for (String k : optimizer.state(e.getKey()).keySet()) {
                state.put(k, NpyArrays.readArray(dir.resolve("adam").resolve(file + "." + k + ".npy")));
            }
            states.put(e.getKey(), state);
        }
        optimizer.restore(states, iteration);
    }

    private static void writeManifest(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path f : files(dir)) {
            lines.add(Sha256.of(f) + "  " + dir.relativize(f).toString().replace('\\', '/'));
        }
        Files.write(dir.resolve(MANIFEST), lines);
    }

    /** Checks every file against the manifest (and that no listed file is missing). */
    public static void verify(Path checkpoint) {
        List<String> lines;
        try {
            lines = Files.readAllLines(checkpoint.resolve(MANIFEST));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(checkpoint + " is not a complete checkpoint: " + MANIFEST + " is missing");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines) {
            String[] parts = line.split("  ", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException(checkpoint + ": malformed manifest line '" + line + "'");
            }
            Path f = checkpoint.resolve(parts[1]);
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(checkpoint + ": " + parts[1] + " is listed in the manifest but missing");
            }
            if (!Sha256.of(f).equals(parts[0])) {
                throw new IllegalArgumentException(checkpoint + ": " + parts[1] + " does not match its SHA-256 in the manifest"
                        + " (truncated or altered)");
            }
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(MANIFEST)).sorted().toList();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
