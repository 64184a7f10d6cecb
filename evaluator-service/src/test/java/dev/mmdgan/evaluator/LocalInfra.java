package dev.mmdgan.evaluator;

import java.nio.file.Path;
import java.util.Map;

/** The shared {@link dev.mmdgan.service.testing.LocalInfra} with the evaluator's own keys: a work folder per namespace. */
public class LocalInfra extends dev.mmdgan.service.testing.LocalInfra {

    @Override
    protected Map<String, String> serviceSettings(String unique, Path workDir) {
        return Map.of("mmdgan.evaluator.work-dir", workDir.toString(),
                "mmdgan.kafka.outbox-dir", workDir.resolve("outbox").toString());
    }
}
