package dev.mmdgan.evaluator.dashboard;

import dev.mmdgan.api.v1.SamplerServiceGrpc;
import io.quarkus.grpc.GrpcService;

/**
 * Test only: a gRPC service with no methods of its own (each answers UNIMPLEMENTED), so that the gRPC server runs in
 * the tests even while this module has no gRPC service yet, and {@link DashboardTest} can check that the dashboard's
 * routes leave gRPC on the shared HTTP port alone. A service the evaluator never implements, so it clashes with none;
 * drop it once the evaluator serves its own.
 */
@GrpcService
public class GrpcProbeService extends SamplerServiceGrpc.SamplerServiceImplBase {
}
