package dev.mmdgan.sampler.api;

import dev.mmdgan.api.v1.GenerateRequest;
import dev.mmdgan.api.v1.InterpolateRequest;
import dev.mmdgan.api.v1.InterpolationPath;
import dev.mmdgan.api.v1.SampleFormat;
import dev.mmdgan.sampler.SamplerConfig;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Checks of requests that need no model, each failure an {@link IllegalArgumentException} (INVALID_ARGUMENT) that
 * names the field and what is allowed. The checks that need the model (response size, image grids, latent length)
 * are {@link #checkFits} and {@link #checkLatent}.
 */
final class Requests {

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    static final int DEFAULT_CHUNK = 256;
    static final int MAX_INTERPOLATION_STEPS = 256;

    private Requests() {
    }

    /** A checked Generate or GenerateStream request. */
    record Generate(String runId, OptionalLong step, long[] seeds, double truncation, SampleFormat format, int chunk) {
        int n() {
            return seeds.length;
        }
    }

    /** A checked Interpolate request; latents empty when the end points are seeds. */
    record Interpolate(String runId, OptionalLong step, long seedFrom, long seedTo, float[] from, float[] to, int steps,
                       boolean spherical, double truncation, SampleFormat format) {
    }

    static String runId(String given, Optional<String> fallback) {
        String id = given.isEmpty() ? fallback.orElse("") : given;
        if (id.isEmpty()) {
            throw new IllegalArgumentException("run_id is required (this sampler has no mmdgan.sampler.default-run)");
        }
        if (!RUN_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("run_id must be 1 to 64 letters, digits, '-', '_' or '.', got '"
                    + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "' (" + id.length() + " characters)");
        }
        return id;
    }

    static Generate generate(GenerateRequest r, SamplerConfig config, boolean stream) {
        String run = runId(r.getRunId(), config.defaultRun());
        int max = stream ? config.maxStreamSamples() : config.maxSamples();
        String limit = stream ? "mmdgan.sampler.max-stream-samples" : "mmdgan.sampler.max-samples";
        int n = r.getN();
        if (r.getSeedsCount() > 0 && n == 0) {
            n = r.getSeedsCount();
        }
        if (n < 1 || n > max) {
            throw new IllegalArgumentException("n must be in [1, " + max + "] (" + limit + ")"
                    + (stream ? "" : "; GenerateStream takes more") + ", got " + r.getN());
        }
        if (r.getSeedsCount() > 0 && r.getSeedsCount() != n) {
            throw new IllegalArgumentException("seeds must hold one seed per sample: n = " + n + " but " + r.getSeedsCount() + " seeds");
        }
        long[] seeds = new long[n];
        if (r.getSeedsCount() > 0) {
            for (int i = 0; i < n; i++) {
                seeds[i] = r.getSeeds(i);
            }
        } else {
            long base = r.hasSeed() ? r.getSeed() : ThreadLocalRandom.current().nextLong();
            for (int i = 0; i < n; i++) {
                seeds[i] = base + i;
            }
        }
        double truncation = truncation(r.hasTruncation(), r.getTruncation());
        SampleFormat format = format(r.getFormatValue());
        int chunk = DEFAULT_CHUNK;
        if (r.hasChunkSize()) {
            if (!stream) {
                throw new IllegalArgumentException("chunk_size is for GenerateStream only; leave it unset for Generate");
            }
            if (r.getChunkSize() < 1 || r.getChunkSize() > config.maxSamples()) {
                throw new IllegalArgumentException("chunk_size must be in [1, " + config.maxSamples() + "] (unset = "
                        + DEFAULT_CHUNK + "), got " + r.getChunkSize());
            }
            chunk = r.getChunkSize();
        }
        chunk = Math.min(chunk, config.maxSamples());
        return new Generate(run, step(r.hasStep(), r.getStep()), seeds, truncation, format, chunk);
    }

    static Interpolate interpolate(InterpolateRequest r, SamplerConfig config) {
        String run = runId(r.getRunId(), config.defaultRun());
        if (r.getSteps() < 2 || r.getSteps() > Math.min(MAX_INTERPOLATION_STEPS, config.maxSamples())) {
            throw new IllegalArgumentException("steps must be in [2, " + Math.min(MAX_INTERPOLATION_STEPS, config.maxSamples())
                    + "] (end points included), got " + r.getSteps());
        }
        boolean spherical = switch (r.getPathValue()) {
            case InterpolationPath.INTERPOLATION_PATH_UNSPECIFIED_VALUE, InterpolationPath.INTERPOLATION_PATH_SLERP_VALUE -> true;
            case InterpolationPath.INTERPOLATION_PATH_LINEAR_VALUE -> false;
            default -> throw new IllegalArgumentException("path must be INTERPOLATION_PATH_LINEAR or INTERPOLATION_PATH_SLERP "
                    + "(unset = SLERP), got " + r.getPathValue());
        };
        if ((r.getLatentFromCount() == 0) != (r.getLatentToCount() == 0)) {
            throw new IllegalArgumentException("latent_from and latent_to go together: got " + r.getLatentFromCount() + " and "
                    + r.getLatentToCount() + " values (give both, or neither and use seed_from / seed_to)");
        }
        float[] from = values(r.getLatentFromList(), "latent_from");
        float[] to = values(r.getLatentToList(), "latent_to");
        return new Interpolate(run, step(r.hasStep(), r.getStep()), r.getSeedFrom(), r.getSeedTo(), from, to, r.getSteps(),
                spherical, truncation(r.hasTruncation(), r.getTruncation()), format(r.getFormatValue()));
    }

    private static float[] values(java.util.List<Float> list, String field) {
        float[] v = new float[list.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = list.get(i);
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(field + " must hold finite values; " + field + "[" + i + "] is " + v[i]);
            }
        }
        return v;
    }

    /** Latent end points must have the model's noise dimension. */
    static void checkLatent(float[] latent, String field, int noiseDim) {
        if (latent.length != noiseDim) {
            throw new IllegalArgumentException(field + " must hold noise_dim = " + noiseDim + " values for this model, got " + latent.length);
        }
    }

    /**
     * The answer to {@code n} samples of {@code shape} in {@code format} must fit mmdgan.sampler.max-response-bytes, and a
     * PNG grid needs images.
     */
    static void checkFits(int n, long[] shape, SampleFormat format, int maxResponseBytes, String model) {
        if (format == SampleFormat.SAMPLE_FORMAT_PNG_GRID && shape.length != 3) {
            throw new IllegalArgumentException("format SAMPLE_FORMAT_PNG_GRID needs an image model; " + model + " makes samples of shape "
                    + java.util.Arrays.toString(shape) + ": ask for SAMPLE_FORMAT_RAW or SAMPLE_FORMAT_NPY");
        }
        long values = n;
        for (long d : shape) {
            values *= d;
        }
        // Tensor (4 bytes a value) plus a PNG grid that is at most as large again; .npy alone.
        long bytes = values * 4 * (format == SampleFormat.SAMPLE_FORMAT_PNG_GRID ? 2 : 1) + 1024L + 8L * n;
        if (bytes > maxResponseBytes) {
            throw new IllegalArgumentException("n: " + n + " samples of shape " + java.util.Arrays.toString(shape) + " make a response of about "
                    + bytes + " bytes, over mmdgan.sampler.max-response-bytes (" + maxResponseBytes + "); ask for fewer or use GenerateStream");
        }
    }

    private static double truncation(boolean has, double psi) {
        if (!has) {
            return 0;
        }
        if (!(psi > 0) || Double.isInfinite(psi)) {
            throw new IllegalArgumentException("truncation must be a finite ψ > 0 (unset = none), got " + psi);
        }
        return psi;
    }

    private static SampleFormat format(int value) {
        return switch (value) {
            case SampleFormat.SAMPLE_FORMAT_UNSPECIFIED_VALUE, SampleFormat.SAMPLE_FORMAT_RAW_VALUE -> SampleFormat.SAMPLE_FORMAT_RAW;
            case SampleFormat.SAMPLE_FORMAT_PNG_GRID_VALUE -> SampleFormat.SAMPLE_FORMAT_PNG_GRID;
            case SampleFormat.SAMPLE_FORMAT_NPY_VALUE -> SampleFormat.SAMPLE_FORMAT_NPY;
            default -> throw new IllegalArgumentException("format must be SAMPLE_FORMAT_RAW, SAMPLE_FORMAT_PNG_GRID or SAMPLE_FORMAT_NPY "
                    + "(unset = RAW), got " + value);
        };
    }

    private static OptionalLong step(boolean has, long step) {
        if (!has) {
            return OptionalLong.empty();
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be ≥ 0 (a generator step with a checkpoint), got " + step);
        }
        return OptionalLong.of(step);
    }
}
