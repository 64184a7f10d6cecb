/**
 * Events on Kafka. Out: {@link dev.mmdgan.service.events.EventPublisher} (an outbox on disk, one ordered sender,
 * event ids derived by {@link dev.mmdgan.service.events.EventIds}). In: {@link dev.mmdgan.service.events.ProtoConsumer}
 * (drops repeats by event id, across restarts). {@link dev.mmdgan.service.events.KafkaAdmin} creates the topics.
 */
package dev.mmdgan.service.events;
