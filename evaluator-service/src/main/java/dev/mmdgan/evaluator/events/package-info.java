/** Kafka: the checkpoint events the evaluator consumes (evaluations and decisions are published by the domain). */
package dev.mmdgan.evaluator.events;
