/**
 * Kafka: the checkpoint events the evaluator consumes, and the evaluations topic followed for WatchEvaluations
 * (evaluations and decisions are published by the domain).
 */
package dev.mmdgan.evaluator.events;
