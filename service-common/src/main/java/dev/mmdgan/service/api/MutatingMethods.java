package dev.mmdgan.service.api;

import java.util.Set;

/** The gRPC methods of a service that change state, and so need the bearer token when one is configured. */
public interface MutatingMethods {

    /** Full method names, e.g. {@code mmdgan.v1.TrainerService/StartRun}. */
    Set<String> fullMethodNames();
}
