package dev.mmdgan.trainer.api;

import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.ListRunsRequest;
import dev.mmdgan.api.v1.ListRunsResponse;
import dev.mmdgan.api.v1.ResumeRunRequest;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.StopRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.api.v1.WatchRunRequest;
import dev.mmdgan.trainer.training.RunConfigValidator;
import dev.mmdgan.trainer.training.RunManager;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Supplier;

/** The TrainerService gRPC endpoint: maps requests onto the {@link RunManager} and its errors onto gRPC statuses. */
@GrpcService
@Blocking
public class TrainerGrpcService extends TrainerServiceGrpc.TrainerServiceImplBase {

    @Inject
    RunManager runs;

    @Override
    public void startRun(StartRunRequest request, StreamObserver<Run> response) {
        unary(response, () -> {
            if (!request.hasConfig()) {
                throw new RunConfigValidator.InvalidRunConfig("config is required");
            }
            return runs.start(request.getConfig());
        });
    }

    @Override
    public void getRun(GetRunRequest request, StreamObserver<Run> response) {
        unary(response, () -> runs.get(runId(request.getRunId())));
    }

    @Override
    public void listRuns(ListRunsRequest request, StreamObserver<ListRunsResponse> response) {
        unary(response, () -> ListRunsResponse.newBuilder().addAllRuns(runs.list(request.getStatesList())).build());
    }

    @Override
    public void stopRun(StopRunRequest request, StreamObserver<Run> response) {
        unary(response, () -> runs.stop(runId(request.getRunId())));
    }

    @Override
    public void resumeRun(ResumeRunRequest request, StreamObserver<Run> response) {
        unary(response, () -> runs.resume(runId(request.getRunId()),
                request.hasSteps() ? Optional.of(request.getSteps()) : Optional.empty()));
    }

    @Override
    public void watchRun(WatchRunRequest request, StreamObserver<TrainingMetrics> response) {
        try {
            String id = runId(request.getRunId());
            if (response instanceof ServerCallStreamObserver<TrainingMetrics> call) {
                call.setOnCancelHandler(() -> runs.unwatch(id, response));
            }
            runs.watch(id, request.hasFromStep() ? request.getFromStep() : -1, response);
        } catch (RuntimeException e) {
            response.onError(status(e).asRuntimeException());
        }
    }

    private static String runId(String id) {
        if (id.isBlank()) {
            throw new RunConfigValidator.InvalidRunConfig("run_id is required");
        }
        return id;
    }

    private static <T> void unary(StreamObserver<T> response, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            response.onError(status(e).asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    private static Status status(RuntimeException e) {
        if (e instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
        }
        if (e instanceof RunManager.UnknownRun) {
            return Status.NOT_FOUND.withDescription(e.getMessage());
        }
        if (e instanceof RunManager.WrongState) {
            return Status.FAILED_PRECONDITION.withDescription(e.getMessage());
        }
        return Status.INTERNAL.withDescription(e.toString()).withCause(e);
    }
}
