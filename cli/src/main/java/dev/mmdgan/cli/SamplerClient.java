package dev.mmdgan.cli;

import dev.mmdgan.api.v1.SamplerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A channel to a sampler service at HOST:PORT ({@code sample --remote}, {@code bench sampler}), with the bearer token
 * of {@code MMDGAN_AUTH_TOKEN} when one is set (samplers that require it on reads), and answers up to 64 MiB.
 */
final class SamplerClient implements AutoCloseable {

    private final String address;
    private final ManagedChannel channel;

    SamplerClient(String address) {
        this.address = address;
        int colon = address.lastIndexOf(':');
        int port = -1;
        try {
            port = colon < 1 ? -1 : Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            // reported below
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--remote must be HOST:PORT with a port in 1..65535, got '" + address + "'");
        }
        channel = ManagedChannelBuilder.forAddress(address.substring(0, colon), port).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
    }

    /** A blocking stub; each call should get its own deadline. */
    SamplerServiceGrpc.SamplerServiceBlockingStub stub() {
        SamplerServiceGrpc.SamplerServiceBlockingStub stub = SamplerServiceGrpc.newBlockingStub(channel);
        Optional<String> token = Optional.ofNullable(System.getenv("MMDGAN_AUTH_TOKEN")).filter(t -> !t.isBlank());
        if (token.isPresent()) {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token.get());
            stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        return stub;
    }

    /** The service's refusals as they are; an unreachable service in words. */
    RuntimeException explain(StatusRuntimeException e) {
        return switch (e.getStatus().getCode()) {
            case UNAVAILABLE -> new CliErrors.Failure("no sampler service answers at " + address + " (" + e.getStatus().getDescription() + ")");
            case DEADLINE_EXCEEDED -> new CliErrors.Failure("the sampler at " + address + " did not answer in time");
            default -> new CliErrors.Failure("the sampler at " + address + " refused: " + e.getStatus().getCode() + ": "
                    + e.getStatus().getDescription());
        };
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
