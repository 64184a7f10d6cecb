package dev.mmdgan.trainer.training;

import dev.mmdgan.trainer.training.RunConfigValidator.InvalidRunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The folders a request may name data in. A path outside them is refused with one message whether or not it exists,
 * so that a caller learns nothing about the trainer's other files; only inside may a message say "no such file".
 */
final class DataRoots {

    /** As configured, absolute and normalized: for the lexical check and the message. */
    private final List<Path> roots;
    /** The same with symbolic links resolved, where they exist: for the check of the resolved path. */
    private final List<Path> realRoots;

    DataRoots(List<Path> configured) {
        this.roots = configured.stream().map(r -> r.toAbsolutePath().normalize()).toList();
        this.realRoots = roots.stream().map(DataRoots::real).toList();
    }

    private static Path real(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root; // a root that does not exist holds nothing; the lexical form is as good as any
        }
    }

    /**
     * Where the user's {@code text} really points, links resolved, if that lies under a root (it need not exist);
     * refuses anything else.
     */
    Path resolve(String text) {
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            throw outside();
        }
        if (!path.isAbsolute()) {
            throw outside();
        }
        Path normal = path.normalize();
        if (roots.stream().noneMatch(normal::startsWith)) {
            throw outside(); // before touching the file system: nothing outside the roots is looked at
        }
        // Resolve the deepest part that exists, so that neither a link to the file nor a linked folder above it
        // leads outside. A dangling link cannot be resolved and is refused like an outside path.
        Path existing = normal;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw outside();
        }
        Path resolved;
        try {
            resolved = existing.toRealPath().resolve(existing.relativize(normal));
        } catch (IOException e) {
            throw outside();
        }
        if (realRoots.stream().noneMatch(resolved::startsWith)) {
            throw outside();
        }
        return resolved;
    }

    private InvalidRunConfig outside() {
        return new InvalidRunConfig("config.dataset.path must be under one of the trainer's data roots " + roots
                + (roots.isEmpty() ? " (none are configured: this trainer reads no files that a request names)" : ""));
    }
}
