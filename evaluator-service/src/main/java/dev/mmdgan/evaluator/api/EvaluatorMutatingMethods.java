package dev.mmdgan.evaluator.api;

import dev.mmdgan.service.api.MutatingMethods;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * The EvaluatorService calls that need the bearer token when one is configured: evaluating a checkpoint stores an
 * evaluation and can publish a learning-rate decision. Computations on uploaded data and reads stay open.
 */
@ApplicationScoped
public class EvaluatorMutatingMethods implements MutatingMethods {

    @Override
    public Set<String> fullMethodNames() {
        return Set.of("mmdgan.v1.EvaluatorService/EvaluateCheckpoint");
    }
}
