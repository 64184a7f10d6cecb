package dev.mmdgan.engine.model;

import dev.mmdgan.engine.checkpoint.CheckpointProvenance;
import dev.mmdgan.engine.checkpoint.GeneratorSignature;
import dev.mmdgan.engine.graph.Architecture;
import dev.mmdgan.engine.graph.Architectures;
import dev.mmdgan.engine.train.MmdGanTrainer;
import java.util.Properties;

/**
 * The generator signature of a format-1 checkpoint, which recorded none: the noise dimension and image size come from
 * the architecture preset, the channel count from the size of what the graph makes (the presets take it from the data),
 * and the noise is the trainer's, the only kind there ever was.
 */
final class FormatOneSignature {

    private FormatOneSignature() {
    }

    static int noiseDim(Properties metadata) {
        return preset(metadata).noiseDim();
    }

    static GeneratorSignature derive(Properties metadata, int sampleSize) {
        Architecture preset = preset(metadata);
        long[] shape = preset.sampleShape().clone();
        if (shape.length == 3) {
            shape[0] = sampleSize / (shape[1] * shape[2]); // channels
        } else {
            shape = new long[] {sampleSize};
        }
        return new GeneratorSignature(preset.noiseDim(), shape, MmdGanTrainer.NOISE_DISTRIBUTION);
    }

    private static Architecture preset(Properties metadata) {
        String name = metadata.getProperty(CheckpointProvenance.ARCHITECTURE);
        if (name == null) {
            throw new IllegalArgumentException("checkpoint.properties lacks 'architecture'");
        }
        return Architectures.byName(name, 0, 0);
    }
}
