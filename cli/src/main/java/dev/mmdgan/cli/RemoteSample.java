package dev.mmdgan.cli;

import dev.mmdgan.api.v1.GenerateRequest;
import dev.mmdgan.api.v1.GenerateResponse;
import dev.mmdgan.api.v1.GetModelRequest;
import dev.mmdgan.api.v1.ModelInfo;
import dev.mmdgan.api.v1.SampleFormat;
import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.engine.pictures.WitnessPlot;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code sample --remote HOST:PORT --run ID}: samples from a sampler service instead of a local checkpoint. A .png of
 * an image model is the service's own grid (one Generate call); .npy is streamed in chunks (any n) and written here;
 * a .png of 2-D points is drawn here from the streamed points.
 */
final class RemoteSample {

    private static final long DEADLINE_SECONDS = 120;

    private RemoteSample() {
    }

    record Result(ModelInfo model, int n) {
    }

    static Result run(String remote, String run, Long step, int n, long seed, double truncation, Path out) throws Exception {
        if (run == null) {
            throw new IllegalArgumentException("--remote needs --run ID");
        }
        try (SamplerClient client = new SamplerClient(remote)) {
            try {
                return fetch(client, run, step, n, seed, truncation, out);
            } catch (StatusRuntimeException e) {
                throw client.explain(e);
            }
        }
    }

    private static Result fetch(SamplerClient client, String run, Long step, int n, long seed, double truncation, Path out)
            throws Exception {
        GenerateRequest.Builder request = GenerateRequest.newBuilder().setRunId(run).setN(n).setSeed(seed);
        if (step != null) {
            request.setStep(step);
        }
        if (truncation > 0) {
            request.setTruncation(truncation);
        }
        ModelInfo model = client.stub().withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getModel(GetModelRequest.newBuilder().setRunId(run).build());
        boolean images = model.getSampleShapeCount() == 3;
        if (out.getFileName().toString().endsWith(".png") && images) {
            GenerateResponse r = client.stub().withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .generate(request.setFormat(SampleFormat.SAMPLE_FORMAT_PNG_GRID).build());
            Files.write(out, r.getPng().toByteArray());
            return new Result(r.getModel(), n);
        }
        Iterator<GenerateResponse> chunks = client.stub().withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .generateStream(request.setFormat(SampleFormat.SAMPLE_FORMAT_RAW).build());
        float[] values = null;
        long[] shape = null;
        ModelInfo from = model;
        while (chunks.hasNext()) {
            GenerateResponse c = chunks.next();
            if (values == null) {
                shape = c.getSamples().getShapeList().stream().mapToLong(Long::longValue).toArray();
                shape[0] = n;
                values = new float[Math.toIntExact(c.getSamples().getValuesCount() / c.getSamples().getShape(0) * n)];
                from = c.getModel();
            }
            int perSample = values.length / n;
            for (int i = 0; i < c.getSamples().getValuesCount(); i++) {
                values[(int) c.getOffset() * perSample + i] = c.getSamples().getValues(i);
            }
        }
        if (values == null) {
            throw new CliErrors.Failure("the sampler sent no samples");
        }
        if (out.getFileName().toString().endsWith(".npy")) {
            NpyArrays.write(out, Nd4j.create(values, shape, 'c'));
        } else {
            if (shape.length != 2 || shape[1] != 2) {
                throw new IllegalArgumentException("PNG output needs 2-D points or images; these samples have shape "
                        + java.util.Arrays.toString(shape) + "; use .npy");
            }
            WitnessPlot.write(out, null, Nd4j.create(values, shape, 'c'), null,
                    "step " + from.getCheckpoint().getGeneratorStep() + " (remote)");
        }
        return new Result(from, n);
    }
}
