/**
 * What every mmdgan service needs, so that the trainer, sampler and evaluator share one implementation:
 * {@code config} (configuration groups), {@code storage} (the object store and the checkpoint layout in it),
 * {@code events} (the event outbox and sender, the protobuf topic consumer), {@code api} (bearer-token auth,
 * request limits, gRPC error mapping), {@code health} (readiness and liveness) and {@code metrics} (Prometheus).
 */
package dev.mmdgan.service;
