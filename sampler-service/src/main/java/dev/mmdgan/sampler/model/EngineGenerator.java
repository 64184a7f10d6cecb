package dev.mmdgan.sampler.model;

import dev.mmdgan.engine.model.GeneratorModel;
import org.nd4j.linalg.factory.Nd4j;

/** A {@link Generator} on the engine's {@link GeneratorModel} (thread-safe; fixed call shapes, so bits do not depend on batch mates). */
public final class EngineGenerator implements Generator {

    private final GeneratorModel model;
    private final long sizeBytes;

    public EngineGenerator(GeneratorModel model, long sizeBytes) {
        this.model = model;
        this.sizeBytes = sizeBytes;
    }

    public GeneratorModel model() {
        return model;
    }

    @Override
    public int noiseDim() {
        return model.noiseDim();
    }

    @Override
    public long[] sampleShape() {
        return model.sampleShape();
    }

    @Override
    public float[] generate(float[] latents, int rows) {
        return model.generate(Nd4j.create(latents, new long[] {rows, model.noiseDim()}, 'c')).data().asFloat();
    }

    @Override
    public String architecture() {
        return model.architecture();
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public void close() {
        model.close();
    }
}
