package dev.mmdgan.sampler.model;

/**
 * What the sampler needs of a generator: G(z) for rows of latent vectors. The engine's
 * {@link dev.mmdgan.engine.model.GeneratorModel} in the service ({@link EngineGenerator}), a fake in the domain tests.
 * Implementations make each output row from its own latent row alone, bitwise, whatever the other rows are.
 */
public interface Generator extends AutoCloseable {

    int noiseDim();

    /** Shape of one sample: [features] or [channels, height, width]. */
    long[] sampleShape();

    /** Values in one sample. */
    default int sampleSize() {
        long size = 1;
        for (long d : sampleShape()) {
            size *= d;
        }
        return Math.toIntExact(size);
    }

    /** G(z) for {@code rows} latent vectors stored row after row in {@code latents}: rows × sampleSize values. */
    float[] generate(float[] latents, int rows);

    /** The architecture's name, e.g. dcgan-28. */
    default String architecture() {
        return "unknown";
    }

    /** Bytes the generator holds in memory, for the cache's bound. */
    long sizeBytes();

    @Override
    void close();
}
