package dev.mmdgan.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The shared {@link dev.mmdgan.service.testing.LocalInfra} with the trainer's own keys: each namespace gets a work
 * folder (and its outbox) of its own, and reads data from the tests' data root.
 */
public class LocalInfra extends dev.mmdgan.service.testing.LocalInfra {

    @Override
    protected Map<String, String> serviceSettings(String unique, Path workDir) {
        return Map.of("mmdgan.trainer.work-dir", workDir.toString(),
                "mmdgan.trainer.data-roots", dataRoot().toString(),
                "mmdgan.kafka.outbox-dir", workDir.resolve("outbox").toString());
    }

    /** Settings of one isolated namespace, for tests that start the packaged service themselves. */
    static Map<String, String> isolatedSettings(String namespace) {
        return new LocalInfra().isolated(namespace);
    }

    /** The folder the tests' trainers may read data from (their data root). */
    static Path dataRoot() {
        Path root = STATE.resolve("data");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return root;
    }
}
