/**
 * The trainer service: {@code api} (gRPC), {@code training} (runs), {@code storage} (run records), {@code events}
 * (its Kafka events and the learning-rate decisions it consumes), configured by
 * {@link dev.mmdgan.trainer.TrainerConfig} and service-common's groups. Store client, event sender, auth, health and
 * metrics come from service-common ({@code dev.mmdgan.service}).
 */
package dev.mmdgan.trainer;
