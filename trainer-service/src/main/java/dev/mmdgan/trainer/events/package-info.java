/** Kafka: the events the trainer publishes (checkpoints, metrics, run states) and the decisions it consumes. */
package dev.mmdgan.trainer.events;
