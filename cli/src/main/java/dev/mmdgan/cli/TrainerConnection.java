package dev.mmdgan.cli;

import dev.mmdgan.api.v1.TrainerServiceGrpc.TrainerServiceBlockingStub;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The connection options of every {@code mmdgan runs} command (a picocli mixin), and one channel per command:
 * every unary call gets the {@code --timeout} deadline, and the channel's keepalive ends a stream whose
 * service has gone away. A trainer that does not answer, or not in time, becomes a one-line {@link CliErrors.Failure}.
 */
final class TrainerConnection {

    static final String DEFAULT_ADDRESS = "127.0.0.1:8080";

    /*
     * Keepalive: with no traffic for 20 s the client pings and gives the connection up when no answer comes in
     * 10 s, so a watch on a host that vanished (no FIN, no RST) ends instead of waiting forever. 20 s is above
     * grpc-java's 10 s floor. A grpc-java Netty server must permit it (permitKeepAliveTime, 5 min by default, else
     * GOAWAY too_many_pings); the Vert.x server the trainer shares with HTTP has no such setting (not tried live).
     */
    private static final Duration KEEPALIVE_TIME = Duration.ofSeconds(20);
    private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = "--trainer", paramLabel = "HOST:PORT",
            description = "Trainer address (default: $MMDGAN_TRAINER or " + DEFAULT_ADDRESS + ").")
    String trainer = env("MMDGAN_TRAINER").orElse(DEFAULT_ADDRESS);

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token for start, stop and resume (default: $MMDGAN_AUTH_TOKEN, "
            + "the service's own variable, else $MMDGAN_TRAINER_TOKEN, kept as an alias).")
    String token = env("MMDGAN_AUTH_TOKEN").or(() -> env("MMDGAN_TRAINER_TOKEN")).orElse(null);

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "Deadline of each call to the trainer, e.g. 500ms, 30s, 2m (default: 30s). "
                    + "'watch' applies it to its GetRun calls; its stream is bounded by --max-wait instead.")
    Duration timeout = Duration.ofSeconds(30);

    /** A channel open for the duration of one command. */
    final class Session {
        private final TrainerServiceBlockingStub stub;

        private Session(TrainerServiceBlockingStub stub) {
            this.stub = stub;
        }

        /** The stub for one unary call: a fresh {@code --timeout} deadline each time (each page of a list gets its own). */
        TrainerServiceBlockingStub unary() {
            return stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** The stub for a stream: bounded by {@code deadline} if there is one, else only by keepalive. */
        TrainerServiceBlockingStub streaming(Optional<Deadline> deadline) {
            return deadline.map(stub::withDeadline).orElse(stub);
        }
    }

    /** Runs {@code body} with one unary call's stub. */
    <T> T unary(Function<TrainerServiceBlockingStub, T> body) {
        return call(session -> body.apply(session.unary()));
    }

    /** Runs {@code body} on a fresh channel, closed afterwards; an unanswered call becomes a {@link CliErrors.Failure}. */
    <T> T call(Function<Session, T> body) {
        ManagedChannel channel = open();
        try {
            return body.apply(new Session(withToken(TrainerServiceGrpc.newBlockingStub(channel))));
        } catch (StatusRuntimeException e) {
            throw explain(e);
        } finally {
            channel.shutdownNow();
            try {
                channel.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Deadlines and unreachable services in words; the service's own answers (NOT_FOUND, ...) as they are. */
    private RuntimeException explain(StatusRuntimeException e) {
        return switch (e.getStatus().getCode()) {
            case DEADLINE_EXCEEDED -> new CliErrors.Failure("the trainer at " + trainer + " did not answer within "
                    + Durations.format(timeout) + " (--timeout)");
            // The trainer never answers UNAVAILABLE itself: this is the transport failing to reach it.
            case UNAVAILABLE -> new CliErrors.Failure("no trainer service answers at " + trainer
                    + " (start one, see README \"Trainer service\", or pass --trainer HOST:PORT / set MMDGAN_TRAINER)");
            default -> e;
        };
    }

    private ManagedChannel open() {
        int colon = trainer.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("--trainer must be HOST:PORT, got '" + trainer + "'");
        }
        return ManagedChannelBuilder.forAddress(trainer.substring(0, colon), port(trainer.substring(colon + 1)))
                .usePlaintext()
                .keepAliveTime(KEEPALIVE_TIME.toSeconds(), TimeUnit.SECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                // Also while no call is open: the channel lives for one command, so this costs next to nothing.
                .keepAliveWithoutCalls(true)
                .build();
    }

    private int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--trainer must be HOST:PORT with a port in 1..65535, got '" + trainer + "'");
    }

    private TrainerServiceBlockingStub withToken(TrainerServiceBlockingStub stub) {
        if (token == null || token.isBlank()) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }
}
