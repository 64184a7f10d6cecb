/**
 * The sampler service: generation over gRPC from each run's served generator (latest, best by KID, or pinned),
 * hot-swapped as checkpoints arrive, with dynamic batching. Packages by role: {@code api} (gRPC), {@code model} (the
 * domain, plain Java: model cache, serving policy, batching), {@code events} (Kafka listeners), {@code storage}.
 */
package dev.mmdgan.sampler;
