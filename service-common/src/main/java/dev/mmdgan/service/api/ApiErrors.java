package dev.mmdgan.service.api;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The errors a service's domain throws for its callers, and their gRPC statuses: {@link IllegalArgumentException}
 * is INVALID_ARGUMENT, {@link NotFound}, {@link FailedPrecondition} and {@link Unavailable} map by name, and anything
 * else is INTERNAL with a short message (the log has the rest).
 */
public final class ApiErrors {

    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    /** Something the caller named does not exist. */
    public static class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The request is valid but the target's state does not allow it. */
    public static class FailedPrecondition extends RuntimeException {
        public FailedPrecondition(String message) {
            super(message);
        }
    }

    /** The service cannot answer yet; the caller should retry. */
    public static class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /** The status a caller gets for {@code error}. */
    public static Status status(Throwable error) {
        if (error instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(error.getMessage());
        }
        if (error instanceof NotFound) {
            return Status.NOT_FOUND.withDescription(error.getMessage());
        }
        if (error instanceof FailedPrecondition) {
            return Status.FAILED_PRECONDITION.withDescription(error.getMessage());
        }
        if (error instanceof Unavailable) {
            return Status.UNAVAILABLE.withDescription(error.getMessage());
        }
        LOG.error("unexpected error in a gRPC call", error);
        return Status.INTERNAL.withDescription("internal error (" + error.getClass().getSimpleName() + "); see the service's log");
    }

    /** Answers a unary call with {@code call}'s result, or with the status of whatever it throws, Errors included. */
    public static <T> void unary(StreamObserver<T> response, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (Throwable e) {
            response.onError(status(e).asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
