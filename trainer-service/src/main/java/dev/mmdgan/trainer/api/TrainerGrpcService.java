package dev.mmdgan.trainer.api;

import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.ListRunsRequest;
import dev.mmdgan.api.v1.ListRunsResponse;
import dev.mmdgan.api.v1.ResumeRunRequest;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.StopRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.api.v1.WatchRunRequest;
import dev.mmdgan.service.api.ApiErrors;
import dev.mmdgan.trainer.training.Checks;
import dev.mmdgan.trainer.training.RunConfigValidator;
import dev.mmdgan.trainer.training.RunManager;
import dev.mmdgan.trainer.training.RunPages;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The TrainerService gRPC endpoint: checks request fields and maps them onto the {@link RunManager}; errors become
 * statuses through service-common's {@link ApiErrors}.
 */
@GrpcService
@Blocking
public class TrainerGrpcService extends TrainerServiceGrpc.TrainerServiceImplBase {

    /** Run ids are UUIDs; anything else that is short and plain is simply not found. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    @Inject
    RunManager runs;

    @Override
    public void startRun(StartRunRequest request, StreamObserver<Run> response) {
        ApiErrors.unary(response, () -> {
            if (!request.hasConfig()) {
                throw new RunConfigValidator.InvalidRunConfig("config is required");
            }
            return runs.start(request.getConfig(), request.getIdempotencyKey());
        });
    }

    @Override
    public void getRun(GetRunRequest request, StreamObserver<Run> response) {
        ApiErrors.unary(response, () -> runs.get(runId(request.getRunId())));
    }

    @Override
    public void listRuns(ListRunsRequest request, StreamObserver<ListRunsResponse> response) {
        ApiErrors.unary(response, () -> {
            for (int i = 0; i < request.getStatesCount(); i++) {
                RunState s = request.getStates(i);
                if (s == RunState.UNRECOGNIZED || s == RunState.RUN_STATE_UNSPECIFIED) {
                    throw new IllegalArgumentException("states[" + i + "] must be a run state (QUEUED … FAILED), got "
                            + request.getStatesValue(i));
                }
            }
            RunPages.Page page = runs.list(request.getStatesList(), RunPages.pageSize(request.getPageSize()), request.getPageToken());
            return ListRunsResponse.newBuilder().addAllRuns(page.runs()).setNextPageToken(page.nextPageToken()).build();
        });
    }

    @Override
    public void stopRun(StopRunRequest request, StreamObserver<Run> response) {
        ApiErrors.unary(response, () -> runs.stop(runId(request.getRunId())));
    }

    @Override
    public void resumeRun(ResumeRunRequest request, StreamObserver<Run> response) {
        ApiErrors.unary(response, () -> runs.resume(runId(request.getRunId()),
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
            response.onError(ApiErrors.status(e).asRuntimeException());
        }
    }

    /** A run id as the caller gave it, if it can be one; the message echoes at most a short prefix. */
    private static String runId(String id) {
        if (id.isEmpty()) {
            throw new IllegalArgumentException("run_id is required");
        }
        if (!RUN_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("run_id must be 1 to 64 letters, digits, '-', '_' or '.' (a run id "
                    + "as StartRun returns it), got '" + Checks.quote(id) + "' (" + id.length() + " characters)");
        }
        return id;
    }
}
