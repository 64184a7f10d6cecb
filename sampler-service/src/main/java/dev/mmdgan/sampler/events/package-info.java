/** Kafka: checkpoint and evaluation events in ({@link dev.mmdgan.sampler.events.ModelEventListeners}), served-model changes out. */
package dev.mmdgan.sampler.events;
