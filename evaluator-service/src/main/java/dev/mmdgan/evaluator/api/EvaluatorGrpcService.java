package dev.mmdgan.evaluator.api;

import dev.mmdgan.api.v1.EvaluateCheckpointRequest;
import dev.mmdgan.api.v1.Evaluation;
import dev.mmdgan.api.v1.EvaluatorServiceGrpc;
import dev.mmdgan.api.v1.KidResult;
import dev.mmdgan.api.v1.KidUpload;
import dev.mmdgan.api.v1.ListEvaluationsRequest;
import dev.mmdgan.api.v1.ListEvaluationsResponse;
import dev.mmdgan.api.v1.TwoSampleTestResult;
import dev.mmdgan.api.v1.TwoSampleUpload;
import dev.mmdgan.api.v1.WatchEvaluationsRequest;
import dev.mmdgan.evaluator.evaluation.Evaluations;
import dev.mmdgan.evaluator.events.EvaluationWatchFeed;
import dev.mmdgan.evaluator.evaluation.FeatureSource;
import dev.mmdgan.evaluator.storage.EvaluationStore;
import dev.mmdgan.service.api.ApiErrors;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The EvaluatorService gRPC endpoint: checks request fields and maps them onto the domain ({@link Evaluations}, the
 * {@link EvaluationStore}) and mmd-core ({@link Computations}); errors become statuses through {@link ApiErrors}.
 */
@GrpcService
@Blocking
public class EvaluatorGrpcService extends EvaluatorServiceGrpc.EvaluatorServiceImplBase {

    /** Generated samples one EvaluateCheckpoint may ask for. */
    static final int MAX_SAMPLES = 100_000;

    @Inject
    EvaluationWatchFeed watchFeed;

    @Inject
    Evaluations evaluations;

    @Inject
    EvaluationStore store;

    @Inject
    FeatureSource features;

    @Override
    public void evaluateCheckpoint(EvaluateCheckpointRequest request, StreamObserver<Evaluation> response) {
        ApiErrors.unary(response, () -> {
            Fields.require(request.hasCheckpoint(), "checkpoint is required (its run_id and generator_step)");
            String run = Fields.runId("checkpoint.run_id", request.getCheckpoint().getRunId());
            long step = Fields.inRange("checkpoint.generator_step", request.getCheckpoint().getGeneratorStep(), 0, Long.MAX_VALUE);
            boolean relative = !request.hasRelativeTest() || request.getRelativeTest();
            int minSamples = relative ? evaluations.settings().relativeSamples() : 2;
            int samples = request.hasNSamples()
                    ? (int) Fields.inRange("n_samples", request.getNSamples(), minSamples, MAX_SAMPLES)
                    : evaluations.settings().samples();
            Fields.require(!request.getKid().getBlock(), "kid.block is not available for checkpoints: their KID uses the "
                    + "subsets estimator (set kid.subsets and kid.subset_size instead)");
            var kid = request.hasKid() ? Fields.kid("kid", request.getKid(), samples) : evaluations.settings().kid();
            Fields.require(kid.subsetSize() <= samples, "kid.subset_size (" + kid.subsetSize() + ") must be ≤ n_samples ("
                    + samples + ")");
            var ref = request.getCheckpoint().toBuilder().setRunId(run).setGeneratorStep(step).build();
            try {
                // A run first evaluated here starts with the service's rule.
                return evaluations.evaluate(new Evaluations.Request(ref, samples, kid, relative, "",
                        evaluations.settings().decay())).orElseThrow();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiErrors.Unavailable("the evaluator is shutting down; retry");
            } catch (java.io.UncheckedIOException e) {
                throw new ApiErrors.Unavailable("the store cannot be reached now (" + e.getMessage() + "); retry");
            }
        });
    }

    @Override
    public StreamObserver<KidUpload> computeKid(StreamObserver<KidResult> response) {
        return new Collector<>(response) {
            final Computations.KidCall call = new Computations.KidCall(features);

            @Override
            void accept(int index, KidUpload message) {
                call.accept(index, message);
            }

            @Override
            KidResult result() {
                return call.result();
            }
        };
    }

    @Override
    public StreamObserver<TwoSampleUpload> twoSampleTest(StreamObserver<TwoSampleTestResult> response) {
        return new Collector<>(response) {
            final Computations.TwoSampleCall call = new Computations.TwoSampleCall();

            @Override
            void accept(int index, TwoSampleUpload message) {
                call.accept(index, message);
            }

            @Override
            TwoSampleTestResult result() {
                return call.result();
            }
        };
    }

    @Override
    public void listEvaluations(ListEvaluationsRequest request, StreamObserver<ListEvaluationsResponse> response) {
        ApiErrors.unary(response, () -> {
            String run = Fields.runId("run_id", request.getRunId());
            int size = Fields.pageSize(request.getPageSize());
            long after = Fields.afterStep(request.getPageToken());
            try {
                List<Long> steps = store.steps(run).stream().filter(s -> s > after).toList();
                List<Evaluation> page = new ArrayList<>();
                for (long s : steps.subList(0, Math.min(size, steps.size()))) {
                    page.add(store.get(run, s));
                }
                String next = steps.size() > size ? Fields.pageToken(steps.get(size - 1)) : "";
                return ListEvaluationsResponse.newBuilder().addAllEvaluations(page).setNextPageToken(next).build();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ApiErrors.Unavailable("the store cannot be read now (" + e.getMessage() + "); retry");
            }
        });
    }

    @Override
    public void watchEvaluations(WatchEvaluationsRequest request, StreamObserver<Evaluation> response) {
        try {
            String run = request.getRunId().isEmpty() ? "" : Fields.runId("run_id", request.getRunId());
            Consumer<Evaluation> watcher = e -> {
                if (response instanceof ServerCallStreamObserver<Evaluation> call && call.isCancelled()) {
                    throw new IllegalStateException("the watcher left");
                }
                if (run.isEmpty() || run.equals(e.getRunId())) {
                    synchronized (response) {
                        response.onNext(e);
                    }
                }
            };
            if (response instanceof ServerCallStreamObserver<Evaluation> call) {
                call.setOnCancelHandler(() -> watchFeed.unwatch(watcher));
            }
            watchFeed.watch(watcher);
        } catch (RuntimeException e) {
            response.onError(ApiErrors.status(e).asRuntimeException());
        }
    }

    /**
     * A client stream that hands each message to {@link #accept} and answers {@link #result} at the end; the first
     * refusal answers the call at once and the rest of the stream is ignored.
     */
    private abstract static class Collector<Q, R> implements StreamObserver<Q> {

        private final StreamObserver<R> response;
        private int index;
        private boolean answered;

        Collector(StreamObserver<R> response) {
            this.response = response;
        }

        abstract void accept(int index, Q message);

        abstract R result();

        @Override
        public synchronized void onNext(Q message) {
            if (answered) {
                return;
            }
            try {
                accept(index++, message);
            } catch (Throwable e) {
                answered = true;
                response.onError(ApiErrors.status(e).asRuntimeException());
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            answered = true; // the client went away
        }

        @Override
        public synchronized void onCompleted() {
            if (!answered) {
                answered = true;
                ApiErrors.unary(response, this::result);
            }
        }
    }
}
