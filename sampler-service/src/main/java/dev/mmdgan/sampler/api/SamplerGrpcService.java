package dev.mmdgan.sampler.api;

import dev.mmdgan.api.v1.GenerateRequest;
import dev.mmdgan.api.v1.GenerateResponse;
import dev.mmdgan.api.v1.GetModelRequest;
import dev.mmdgan.api.v1.InterpolateRequest;
import dev.mmdgan.api.v1.ModelInfo;
import dev.mmdgan.api.v1.SampleFormat;
import dev.mmdgan.api.v1.SamplerServiceGrpc;
import dev.mmdgan.sampler.Sampler;
import dev.mmdgan.sampler.SamplerConfig;
import dev.mmdgan.sampler.SamplerMetrics;
import dev.mmdgan.sampler.model.BatchingQueue;
import dev.mmdgan.sampler.model.Generator;
import dev.mmdgan.sampler.model.Latents;
import dev.mmdgan.sampler.model.ModelRegistry;
import dev.mmdgan.service.api.ApiErrors;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * SamplerService over gRPC. Requests are checked ({@link Requests}), then lease their model for as long as they run
 * (a swap in the meantime does not touch them), queue their latent rows for the batching queue and wait. A caller
 * that cancels or passes its deadline stops using compute: its queued rows are dropped, and a stream stops between
 * chunks. Streams send a chunk only when the transport is ready for it, so a slow reader does not fill memory.
 */
@GrpcService
@Blocking
public class SamplerGrpcService extends SamplerServiceGrpc.SamplerServiceImplBase {

    /** Longest wait for one batch, far past any sane generator call: a bug must not hang a request thread. */
    private static final long MAX_WAIT_SECONDS = 300;

    @Inject
    Sampler sampler;

    @Inject
    SamplerConfig config;

    @Inject
    SamplerMetrics metrics;

    @Override
    public void generate(GenerateRequest request, StreamObserver<GenerateResponse> response) {
        BooleanSupplier gone = gone(response);
        answer(response, () -> {
            Requests.Generate r = Requests.generate(request, config, false);
            try (ModelRegistry.Lease lease = lease(r.runId(), r.step())) {
                Generator g = lease.model().generator();
                Requests.checkFits(r.n(), g.sampleShape(), r.format(), config.maxResponseBytes(), lease.model().toString());
                float[] samples = run(lease, Latents.ofSeeds(r.seeds(), g.noiseDim(), r.truncation()), r.n(), gone);
                return Responses.of(samples, r.n(), g.sampleShape(), r.format(), config.workDir()).addAllSeeds(longs(r.seeds(), 0, r.n()))
                        .setModel(Sampler.info(lease)).build();
            }
        });
    }

    @Override
    public void generateStream(GenerateRequest request, StreamObserver<GenerateResponse> response) {
        ServerCallStreamObserver<GenerateResponse> call = (ServerCallStreamObserver<GenerateResponse>) response;
        Object ready = new Object();
        call.setOnReadyHandler(() -> {
            synchronized (ready) {
                ready.notifyAll();
            }
        });
        BooleanSupplier gone = gone(response);
        try {
            Requests.Generate r = Requests.generate(request, config, true);
            try (ModelRegistry.Lease lease = lease(r.runId(), r.step())) {
                Generator g = lease.model().generator();
                Requests.checkFits(r.chunk(), g.sampleShape(), r.format(), config.maxResponseBytes(), lease.model().toString());
                ModelInfo info = Sampler.info(lease);
                for (int from = 0; from < r.n(); from += r.chunk()) {
                    synchronized (ready) {
                        while (!call.isReady() && !gone.getAsBoolean()) {
                            ready.wait(100);
                        }
                    }
                    if (gone.getAsBoolean()) {
                        return;
                    }
                    int rows = Math.min(r.chunk(), r.n() - from);
                    long[] seeds = java.util.Arrays.copyOfRange(r.seeds(), from, from + rows);
                    float[] samples = run(lease, Latents.ofSeeds(seeds, g.noiseDim(), r.truncation()), rows, gone);
                    response.onNext(Responses.of(samples, rows, g.sampleShape(), r.format(), config.workDir())
                            .addAllSeeds(longs(seeds, 0, rows)).setModel(info).setOffset(from).build());
                }
            }
            response.onCompleted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.onError(Status.CANCELLED.withDescription("interrupted").asRuntimeException());
        } catch (Throwable e) {
            response.onError(status(e).asRuntimeException());
        }
    }

    @Override
    public void interpolate(InterpolateRequest request, StreamObserver<GenerateResponse> response) {
        BooleanSupplier gone = gone(response);
        answer(response, () -> {
            Requests.Interpolate r = Requests.interpolate(request, config);
            try (ModelRegistry.Lease lease = lease(r.runId(), r.step())) {
                Generator g = lease.model().generator();
                int dim = g.noiseDim();
                Requests.checkFits(r.steps(), g.sampleShape(), r.format(), config.maxResponseBytes(), lease.model().toString());
                float[] from = r.from();
                float[] to = r.to();
                if (from.length == 0) {
                    from = Latents.ofSeeds(new long[] {r.seedFrom()}, dim, r.truncation());
                    to = Latents.ofSeeds(new long[] {r.seedTo()}, dim, r.truncation());
                } else {
                    Requests.checkLatent(from, "latent_from", dim);
                    Requests.checkLatent(to, "latent_to", dim);
                }
                float[] samples = run(lease, Latents.path(from, to, r.steps(), r.spherical()), r.steps(), gone);
                return Responses.of(samples, r.steps(), g.sampleShape(), r.format(), config.workDir()).setModel(Sampler.info(lease)).build();
            }
        });
    }

    @Override
    public void getModel(GetModelRequest request, StreamObserver<ModelInfo> response) {
        answer(response, () -> {
            String run = Requests.runId(request.getRunId(), config.defaultRun());
            try (ModelRegistry.Lease lease = sampler.registry().acquire(run)) {
                return Sampler.info(lease);
            }
        });
    }

    private ModelRegistry.Lease lease(String runId, OptionalLong step) {
        return step.isPresent() ? sampler.registry().acquire(runId, step.getAsLong()) : sampler.registry().acquire(runId);
    }

    /** Queues the rows and waits for them. */
    private float[] run(ModelRegistry.Lease lease, float[] latents, int rows, BooleanSupplier gone) throws Exception {
        var result = sampler.queue().submit(lease.model(), latents, rows, gone);
        try {
            float[] samples = result.get(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
            metrics.samples(rows);
            return samples;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new ApiErrors.Unavailable("the generator did not answer within " + MAX_WAIT_SECONDS + " s");
        }
    }

    /** Whether the caller has gone: cancelled, or past its deadline. */
    private static BooleanSupplier gone(StreamObserver<?> response) {
        Context context = Context.current();
        ServerCallStreamObserver<?> call = response instanceof ServerCallStreamObserver<?> c ? c : null;
        return () -> context.isCancelled() || (call != null && call.isCancelled());
    }

    /** A work step that may throw checked exceptions. */
    interface Call<T> {
        T get() throws Exception;
    }

    private <T> void answer(StreamObserver<T> response, Call<T> call) {
        Supplier<T> wrapped = () -> {
            try {
                return call.get();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new Wrapped(e);
            }
        };
        T result;
        try {
            result = wrapped.get();
        } catch (Throwable e) {
            response.onError(status(e instanceof Wrapped w ? w.getCause() : e).asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    private static final class Wrapped extends RuntimeException {
        Wrapped(Exception cause) {
            super(cause);
        }
    }

    private Status status(Throwable e) {
        if (e instanceof BatchingQueue.Overloaded) {
            metrics.overloaded();
            return Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage());
        }
        if (e instanceof CancellationException) {
            return Status.CANCELLED.withDescription(e.getMessage());
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return Status.CANCELLED.withDescription("interrupted");
        }
        return ApiErrors.status(e);
    }

    private static Iterable<Long> longs(long[] values, int from, int to) {
        return java.util.Arrays.stream(values, from, to).boxed().toList();
    }
}
