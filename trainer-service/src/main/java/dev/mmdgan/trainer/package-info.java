/**
 * The trainer service: {@code api} (gRPC), {@code training} (runs), {@code storage} (S3 checkpoints),
 * {@code events} (Kafka), configured by {@link dev.mmdgan.trainer.TrainerConfig}.
 */
package dev.mmdgan.trainer;
