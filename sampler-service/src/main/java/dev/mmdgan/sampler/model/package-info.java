/**
 * The sampler's domain, plain Java: loaded models and their LRU cache ({@link dev.mmdgan.sampler.model.ModelCache}),
 * serving policies and per-run state ({@link dev.mmdgan.sampler.model.ServingPolicy},
 * {@link dev.mmdgan.sampler.model.RunServing}), background hot swaps ({@link dev.mmdgan.sampler.model.ModelRegistry})
 * and dynamic batching ({@link dev.mmdgan.sampler.model.BatchingQueue}).
 */
package dev.mmdgan.sampler.model;
