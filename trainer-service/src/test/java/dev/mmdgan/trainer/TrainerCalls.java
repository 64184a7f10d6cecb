package dev.mmdgan.trainer;

import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import dev.mmdgan.service.testing.Readiness;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The tests' gRPC client of the trainer: every call has a deadline, every wait a time limit. */
final class TrainerCalls {

    /** Deadline of each call, streams included (the tests' streams are short). */
    static final Duration CALL_DEADLINE = Duration.ofSeconds(60);

    private TrainerCalls() {
    }

    static ManagedChannel channel(int port) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    /** A blocking stub whose every call gets {@link #CALL_DEADLINE} from the moment it starts. */
    static TrainerServiceGrpc.TrainerServiceBlockingStub trainer(Channel channel) {
        return TrainerServiceGrpc.newBlockingStub(channel).withInterceptors(new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                CallOptions withDeadline = options.getDeadline() == null
                        ? options.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS) : options;
                return next.newCall(method, withDeadline);
            }
        });
    }

    /** Polls GetRun until the run satisfies {@code done}; fails with its last state after {@code limit}. */
    static Run await(TrainerServiceGrpc.TrainerServiceBlockingStub trainer, String id, Duration limit, Predicate<Run> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Run last = null;
        StatusRuntimeException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = trainer.getRun(GetRunRequest.newBuilder().setRunId(id).build());
                if (done.test(last)) {
                    return last;
                }
            } catch (StatusRuntimeException e) {
                lastError = e; // e.g. a restarted service that has not read its runs back yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + limit + "; last state " + last + ", last error " + lastError);
    }

    /**
     * Waits until the service at {@code port} is ready (/q/health/ready answers 200): until then it may still be reading
     * its runs back from the store and answers UNAVAILABLE.
     */
    static void awaitReady(int port) throws InterruptedException {
        Readiness.await("trainer", port);
    }

    /** Stops every run that is still queued or training, so that a failed test leaves no run holding the slot. */
    static void stopActive(TrainerServiceGrpc.TrainerServiceBlockingStub trainer) {
        var active = trainer.listRuns(dev.mmdgan.api.v1.ListRunsRequest.newBuilder().addStates(RunState.RUN_STATE_QUEUED)
                .addStates(RunState.RUN_STATE_RUNNING).setPageSize(500).build());
        for (Run r : active.getRunsList()) {
            trainer.stopRun(dev.mmdgan.api.v1.StopRunRequest.newBuilder().setRunId(r.getRunId()).build());
        }
    }

    static Run awaitState(TrainerServiceGrpc.TrainerServiceBlockingStub trainer, String id, RunState... states)
            throws InterruptedException {
        return await(trainer, id, Duration.ofSeconds(120), r -> List.of(states).contains(r.getState()));
    }
}
