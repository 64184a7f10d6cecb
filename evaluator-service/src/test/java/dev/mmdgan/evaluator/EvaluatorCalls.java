package dev.mmdgan.evaluator;

import dev.mmdgan.api.v1.EvaluatorServiceGrpc;
import dev.mmdgan.api.v1.KidResult;
import dev.mmdgan.api.v1.KidUpload;
import dev.mmdgan.api.v1.SampleSet;
import dev.mmdgan.api.v1.Tensor;
import dev.mmdgan.service.testing.Readiness;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The tests' gRPC client of the evaluator: every call has a deadline, every wait a time limit. */
public final class EvaluatorCalls {

    static final Duration CALL_DEADLINE = Duration.ofSeconds(60);

    private EvaluatorCalls() {
    }

    public static ManagedChannel channel(int port) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private static final ClientInterceptor DEADLINE = new ClientInterceptor() {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            CallOptions withDeadline = options.getDeadline() == null
                    ? options.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS) : options;
            return next.newCall(method, withDeadline);
        }
    };

    public static EvaluatorServiceGrpc.EvaluatorServiceBlockingStub blocking(Channel channel) {
        return EvaluatorServiceGrpc.newBlockingStub(channel).withInterceptors(DEADLINE);
    }

    public static EvaluatorServiceGrpc.EvaluatorServiceStub async(Channel channel) {
        return EvaluatorServiceGrpc.newStub(channel).withInterceptors(DEADLINE);
    }

    /** A [rows, cols] float tensor. */
    public static Tensor tensor(INDArray rows) {
        Tensor.Builder t = Tensor.newBuilder().addShape(rows.rows()).addShape(rows.columns());
        for (float v : rows.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat()) {
            t.addValues(v);
        }
        return t.build();
    }

    /** Sends {@code messages} on a client stream and waits for the single answer (or the error). */
    public static <Q, R> R stream(java.util.function.Function<StreamObserver<R>, StreamObserver<Q>> call, List<Q> messages)
            throws Exception {
        CompletableFuture<R> answer = new CompletableFuture<>();
        StreamObserver<Q> requests = call.apply(new StreamObserver<>() {
            @Override
            public void onNext(R value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.complete(null);
            }
        });
        for (Q m : messages) {
            requests.onNext(m);
        }
        requests.onCompleted();
        try {
            return answer.get(CALL_DEADLINE.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** ComputeKid of two feature sets, each in one message. */
    public static KidResult kid(EvaluatorServiceGrpc.EvaluatorServiceStub stub, dev.mmdgan.api.v1.KidOptions options,
                                INDArray real, INDArray fake) throws Exception {
        return stream(stub::computeKid, List.of(
                KidUpload.newBuilder().setOptions(options).setSet(SampleSet.SAMPLE_SET_REAL).setRows(tensor(real)).build(),
                KidUpload.newBuilder().setSet(SampleSet.SAMPLE_SET_FAKE).setRows(tensor(fake)).build()));
    }

    /** Waits until /q/health/ready answers 200. */
    public static void awaitReady(int port) throws InterruptedException {
        Readiness.await("evaluator", port);
    }
}
