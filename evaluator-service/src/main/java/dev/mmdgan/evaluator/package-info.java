/**
 * The evaluator service: KID for every published checkpoint on a fixed feature network, the relative KID test that
 * drives learning-rate decay (decisions go back to the trainer over Kafka), MMD two-sample tests over gRPC, and the
 * live dashboard. Packages by role: {@code api} (gRPC), {@code evaluation} (the domain, plain Java), {@code events}
 * (Kafka listeners and events), {@code storage} (evaluations and scheduler state in the store), {@code dashboard}.
 */
package dev.mmdgan.evaluator;
