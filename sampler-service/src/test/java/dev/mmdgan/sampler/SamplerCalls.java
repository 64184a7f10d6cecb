package dev.mmdgan.sampler;

import dev.mmdgan.api.v1.CheckpointPublished;
import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.GetModelRequest;
import dev.mmdgan.api.v1.ModelInfo;
import dev.mmdgan.api.v1.SamplerServiceGrpc;
import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.events.EventIds;
import dev.mmdgan.service.events.EventPublisher;
import dev.mmdgan.service.storage.CheckpointStore;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The tests' gRPC client of the sampler (every call has a deadline, every wait a limit) and checkpoint publishing. */
final class SamplerCalls {

    static final Duration CALL_DEADLINE = Duration.ofSeconds(30);

    private SamplerCalls() {
    }

    static ManagedChannel channel(int port) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().maxInboundMessageSize(64 << 20).build();
    }

    static SamplerServiceGrpc.SamplerServiceBlockingStub sampler(Channel channel) {
        return SamplerServiceGrpc.newBlockingStub(channel).withInterceptors(new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                CallOptions withDeadline = options.getDeadline() == null
                        ? options.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS) : options;
                return next.newCall(method, withDeadline);
            }
        });
    }

    /** Uploads a local checkpoint as run {@code run} at {@code step} and publishes its CheckpointPublished event. */
    static CheckpointRef publish(CheckpointStore store, EventPublisher publisher, KafkaConfig kafka, String run, long step,
                                 java.nio.file.Path dir) throws InterruptedException {
        CheckpointRef ref = store.upload(run, step, dir, () -> true, e -> { });
        announce(publisher, kafka, ref);
        return ref;
    }

    /** Publishes the CheckpointPublished event of a stored checkpoint. */
    static void announce(EventPublisher publisher, KafkaConfig kafka, CheckpointRef ref) {
        publisher.publish(kafka.checkpointsTopic(), ref.getRunId(), CheckpointPublished.newBuilder()
                .setHeader(EventIds.header(ref.getRunId(), ref.getGeneratorStep(), "checkpoint", "test")).setCheckpoint(ref).build());
    }

    /** Polls GetModel until {@code done}; fails with the last answer after {@code limit}. */
    static ModelInfo awaitModel(SamplerServiceGrpc.SamplerServiceBlockingStub sampler, String run, Duration limit,
                                Predicate<ModelInfo> done) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Object last = null;
        while (System.nanoTime() < deadline) {
            try {
                ModelInfo info = sampler.getModel(GetModelRequest.newBuilder().setRunId(run).build());
                if (done.test(info)) {
                    return info;
                }
                last = info;
            } catch (StatusRuntimeException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + limit + "; last answer " + last);
    }

    static void awaitReady(int port) throws InterruptedException {
        Readiness.await("sampler", port);
    }
}
