package dev.mmdgan.engine.checkpoint;

import dev.mmdgan.core.io.Sha256;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/** Rewrites a checkpoint's metadata as another format would have it, and seals it again with a fresh manifest. */
public final class CheckpointRewriter {

    /** What format 2 added to {@code checkpoint.properties}. */
    public static final List<String> ADDED_IN_FORMAT_2 = List.of(CheckpointProvenance.GIT_COMMIT, CheckpointProvenance.DATASET_SHA256,
            CheckpointProvenance.CONFIG_SHA256, GeneratorSignature.NOISE_DIM, GeneratorSignature.SAMPLE_SHAPE, GeneratorSignature.NOISE);

    private CheckpointRewriter() {
    }

    /** A copy of {@code checkpoint} at {@code target} as format 1 wrote it: no format-2 properties, format_version=1. */
    public static Path asFormat1(Path checkpoint, Path target) throws IOException {
        return rewrite(checkpoint, target, 1, ADDED_IN_FORMAT_2);
    }

    /** A copy of {@code checkpoint} at {@code target} with {@code format_version} set and {@code drop} removed, resealed. */
    public static Path rewrite(Path checkpoint, Path target, int formatVersion, List<String> drop) throws IOException {
        copy(checkpoint, target);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(target.resolve(Checkpoints.METADATA))) {
            p.load(r);
        }
        drop.forEach(p::remove);
        p.setProperty("format_version", Integer.toString(formatVersion));
        try (Writer w = Files.newBufferedWriter(target.resolve(Checkpoints.METADATA))) {
            p.store(w, "rewritten by a test");
        }
        List<String> manifest = new ArrayList<>();
        try (Stream<Path> files = Files.walk(target)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(Checkpoints.MANIFEST))
                    .sorted().toList()) {
                manifest.add(Sha256.of(f) + "  " + target.relativize(f).toString().replace('\\', '/'));
            }
        }
        Files.write(target.resolve(Checkpoints.MANIFEST), manifest);
        return target;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.sorted().toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }
}
