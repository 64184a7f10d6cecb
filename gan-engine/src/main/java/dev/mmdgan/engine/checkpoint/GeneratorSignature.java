package dev.mmdgan.engine.checkpoint;

import dev.mmdgan.engine.train.MmdGanTrainer;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * What the checkpoint's {@code generator.sd} graph takes and makes, recorded from format 2 on so that it can be
 * used without the data set or the trainer: noise z of {@code noiseDim} values drawn from {@code noise}, and samples
 * of {@code sampleShape} (the graph outputs them flattened, one row per sample).
 *
 * @param noiseDim    dimension of z
 * @param sampleShape shape of one sample: [features] or [channels, height, width]
 * @param noise       the distribution the generator was trained on, e.g. {@link MmdGanTrainer#NOISE_DISTRIBUTION}
 */
public record GeneratorSignature(int noiseDim, long[] sampleShape, String noise) {

    public static final String NOISE_DIM = "generator.noise_dim";
    public static final String SAMPLE_SHAPE = "generator.sample_shape";
    public static final String NOISE = "generator.noise";

    public GeneratorSignature {
        if (noiseDim < 1 || sampleShape.length == 0 || Arrays.stream(sampleShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("invalid generator signature: noise dimension " + noiseDim + ", sample shape "
                    + Arrays.toString(sampleShape));
        }
        sampleShape = sampleShape.clone();
    }

    /** The signature of {@code trainer}'s generator. */
    public static GeneratorSignature of(MmdGanTrainer trainer) {
        return new GeneratorSignature(trainer.architecture().noiseDim(), trainer.architecture().sampleShape(),
                MmdGanTrainer.NOISE_DISTRIBUTION);
    }

    /** The signature recorded in a checkpoint's metadata, or empty for a format-1 checkpoint, which has none. */
    public static Optional<GeneratorSignature> read(Properties p) {
        String dim = p.getProperty(NOISE_DIM);
        String shape = p.getProperty(SAMPLE_SHAPE);
        if (dim == null || shape == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new GeneratorSignature(Integer.parseInt(dim),
                    Arrays.stream(shape.split(",")).map(String::strip).mapToLong(Long::parseLong).toArray(),
                    p.getProperty(NOISE, MmdGanTrainer.NOISE_DISTRIBUTION)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(Checkpoints.METADATA + ": malformed " + NOISE_DIM + " '" + dim + "' or "
                    + SAMPLE_SHAPE + " '" + shape + "'");
        }
    }

    @Override
    public long[] sampleShape() {
        return sampleShape.clone();
    }

    /** Values in one sample: the product of the shape. */
    public int sampleSize() {
        return Math.toIntExact(Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b));
    }

    void writeTo(Properties p) {
        p.setProperty(NOISE_DIM, Integer.toString(noiseDim));
        p.setProperty(SAMPLE_SHAPE, Arrays.stream(sampleShape).mapToObj(Long::toString).collect(Collectors.joining(",")));
        p.setProperty(NOISE, noise);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneratorSignature s && s.noiseDim == noiseDim && Arrays.equals(s.sampleShape, sampleShape)
                && s.noise.equals(noise);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * noiseDim + Arrays.hashCode(sampleShape)) + noise.hashCode();
    }

    @Override
    public String toString() {
        return "GeneratorSignature[noiseDim=" + noiseDim + ", sampleShape=" + Arrays.toString(sampleShape) + ", noise=" + noise + "]";
    }
}
