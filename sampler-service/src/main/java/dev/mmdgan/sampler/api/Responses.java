package dev.mmdgan.sampler.api;

import dev.mmdgan.api.v1.GenerateResponse;
import dev.mmdgan.api.v1.SampleFormat;
import dev.mmdgan.api.v1.Tensor;
import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.engine.pictures.ImageGrid;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.factory.Nd4j;

/** Samples as a response: a float tensor [n, ...sample shape], plus a PNG grid, or a .npy payload alone. */
final class Responses {

    private Responses() {
    }

    static GenerateResponse.Builder of(float[] samples, int n, long[] sampleShape, SampleFormat format, Path workDir) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = n;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        GenerateResponse.Builder b = GenerateResponse.newBuilder();
        if (format == SampleFormat.SAMPLE_FORMAT_NPY) {
            return b.setNpy(ByteString.copyFrom(npy(samples, shape, workDir)));
        }
        Tensor.Builder t = Tensor.newBuilder();
        for (long d : shape) {
            t.addShape(d);
        }
        for (float v : samples) {
            t.addValues(v);
        }
        b.setSamples(t);
        if (format == SampleFormat.SAMPLE_FORMAT_PNG_GRID) {
            var rows = Nd4j.create(samples, new long[] {n, samples.length / n}, 'c');
            b.setPng(ByteString.copyFrom(ImageGrid.png(rows, sampleShape, sampleShape[1] < 48 ? 2 : 1)));
        }
        return b;
    }

    /** The .npy bytes, through the project's own writer (it writes files). */
    private static byte[] npy(float[] samples, long[] shape, Path workDir) {
        try {
            Files.createDirectories(workDir);
            Path tmp = Files.createTempFile(workDir, "samples-", ".npy");
            try {
                NpyArrays.write(tmp, Nd4j.create(samples, shape, 'c'));
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the .npy payload", e);
        }
    }
}
