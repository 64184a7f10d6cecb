package dev.mmdgan.trainer.api;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses request messages over {@code mmdgan.grpc.max-request-bytes} with RESOURCE_EXHAUSTED and a message that
 * says the size and the limit. The transport's own limit ({@code quarkus.grpc.server.max-inbound-message-size}) is
 * set higher, because the Vert.x transport answers it with a bare RESOURCE_EXHAUSTED and no message.
 */
@ApplicationScoped
@GlobalInterceptor
public class RequestSizeInterceptor implements ServerInterceptor {

    @ConfigProperty(name = "mmdgan.grpc.max-request-bytes", defaultValue = "4194304")
    int maxRequestBytes;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                int size = message instanceof MessageLite m ? m.getSerializedSize() : 0;
                if (size > maxRequestBytes) {
                    refused = true;
                    call.close(Status.RESOURCE_EXHAUSTED.withDescription("the request is " + size + " bytes; this service accepts "
                            + "at most " + maxRequestBytes + " (mmdgan.grpc.max-request-bytes)"), new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}
