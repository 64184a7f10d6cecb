package dev.mmdgan.service.api;

import com.google.protobuf.MessageLite;
import dev.mmdgan.service.config.ServiceConfig;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Refuses request messages over {@code mmdgan.service.max-request-bytes} with RESOURCE_EXHAUSTED and a message that
 * says the size and the limit. The transport's own limit ({@code quarkus.grpc.server.max-inbound-message-size}) is
 * set higher, because the Vert.x transport answers it with a bare RESOURCE_EXHAUSTED and no message.
 */
@ApplicationScoped
@GlobalInterceptor
public class RequestSizeInterceptor implements ServerInterceptor {

    @Inject
    ServiceConfig service;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                int size = message instanceof MessageLite m ? m.getSerializedSize() : 0;
                if (size > service.maxRequestBytes()) {
                    refused = true;
                    call.close(Status.RESOURCE_EXHAUSTED.withDescription("the request is " + size + " bytes; this service accepts "
                            + "at most " + service.maxRequestBytes() + " (mmdgan.service.max-request-bytes)"), new Metadata());
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
