package dev.mmdgan.cli;

import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.ListRunsRequest;
import dev.mmdgan.api.v1.ListRunsResponse;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.StepLosses;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.api.v1.WatchRunRequest;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TrainerService held in memory, for the CLI's client tests: runs in a map with ListRuns paging, and a few
 * runs whose calls misbehave on purpose (see the ids below).
 */
final class InMemoryTrainerFake extends TrainerServiceGrpc.TrainerServiceImplBase {

    /** WatchRun streams steps 10, 15 and 20, marks the run completed, then ends the stream. */
    static final String COMPLETING = "completing-run";
    /** WatchRun never sends anything and never ends. */
    static final String SILENT = "silent-run";
    /** WatchRun sends one report, counts down {@link #streamStarted} and stays open (the test then kills the server). */
    static final String DYING = "dying-run";
    /** GetRun answers only after the caller has given up (at most 10 s later): past any short deadline. */
    static final String SLOW = "slow-run";

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Map<String, Run> runs = new LinkedHashMap<>();

    /** ListRuns' page size when the request sets none (the real trainer's is 50). */
    volatile int defaultPageSize = 50;
    final AtomicInteger listCalls = new AtomicInteger();
    final CountDownLatch streamStarted = new CountDownLatch(1);
    volatile String lastAuthorization;

    static Run run(String id, RunState state, long step, long steps) {
        return Run.newBuilder().setRunId(id).setState(state).setGeneratorStep(step).setConfig(RunConfig.newBuilder().setSteps(steps))
                .setLrGenerator(1e-4).setLrCritic(2e-4).build();
    }

    synchronized InMemoryTrainerFake add(Run run) {
        runs.put(run.getRunId(), run);
        return this;
    }

    /** The service, with an interceptor that records each call's authorization header. */
    ServerServiceDefinition definition() {
        return ServerInterceptors.intercept(this, new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                lastAuthorization = headers.get(AUTHORIZATION);
                return next.startCall(call, headers);
            }
        });
    }

    @Override
    public void startRun(StartRunRequest request, StreamObserver<Run> response) {
        String arch = request.getConfig().getArchitecture().getName();
        if (arch.equals("dcgan-32")) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("config.architecture.name: dcgan-32 makes samples of shape "
                    + "[3, 32, 32] but data set moons has samples of shape [2]").asRuntimeException());
            return;
        }
        Run run = run(UUID.randomUUID().toString(), RunState.RUN_STATE_QUEUED, 0, request.getConfig().getSteps()).toBuilder()
                .setConfig(request.getConfig()).build();
        add(run);
        reply(response, run);
    }

    @Override
    public void getRun(GetRunRequest request, StreamObserver<Run> response) {
        if (request.getRunId().equals(SLOW)) {
            waitUntilCancelled(10_000);
        }
        Run run = find(request.getRunId(), response);
        if (run != null) {
            reply(response, run);
        }
    }

    @Override
    public void listRuns(ListRunsRequest request, StreamObserver<ListRunsResponse> response) {
        listCalls.incrementAndGet();
        List<Run> all;
        synchronized (this) {
            all = new ArrayList<>(runs.values());
        }
        int size = request.getPageSize() == 0 ? defaultPageSize : Math.min(request.getPageSize(), 500);
        int from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
        int to = Math.min(all.size(), from + size);
        reply(response, ListRunsResponse.newBuilder().addAllRuns(all.subList(from, to))
                .setNextPageToken(to < all.size() ? Integer.toString(to) : "").build());
    }

    @Override
    public void watchRun(WatchRunRequest request, StreamObserver<TrainingMetrics> response) {
        Run run = find(request.getRunId(), response);
        if (run == null) {
            return;
        }
        switch (run.getRunId()) {
            case COMPLETING -> {
                for (long step : new long[] {10, 15, 20}) {
                    response.onNext(metrics(run, step));
                }
                add(run.toBuilder().setState(RunState.RUN_STATE_COMPLETED).setGeneratorStep(20).build());
                response.onCompleted();
            }
            case SILENT -> {
                // nothing, ever
            }
            case DYING -> {
                response.onNext(metrics(run, 5));
                streamStarted.countDown();
            }
            default -> response.onCompleted();
        }
    }

    private static TrainingMetrics metrics(Run run, long step) {
        return TrainingMetrics.newBuilder().setRunId(run.getRunId()).setGeneratorStep(step).setState(RunState.RUN_STATE_RUNNING)
                .setLosses(StepLosses.newBuilder().setCriticLoss(-0.5).setGeneratorLoss(0.25)).setLrGenerator(1e-4)
                .setStepsPerSecond(12.5).setEtaSeconds(1).build();
    }

    private synchronized Run find(String id, StreamObserver<?> response) {
        Run run = runs.get(id);
        if (run == null) {
            response.onError(Status.NOT_FOUND.withDescription("no run with id '" + id + "'").asRuntimeException());
        }
        return run;
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }

    /** Sleeps until the client cancels the call (its deadline passes) or {@code limitMillis} elapse. */
    private static void waitUntilCancelled(long limitMillis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        while (!Context.current().isCancelled() && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
