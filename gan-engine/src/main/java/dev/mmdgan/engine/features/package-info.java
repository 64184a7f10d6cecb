/**
 * Feature networks: the fixed embeddings on which KID and the two-sample tests compare real and generated samples
 * ({@link dev.mmdgan.engine.features.FeatureNetwork}); the identity for 2-D data ({@link dev.mmdgan.engine.features.RawFeatures}).
 */
package dev.mmdgan.engine.features;
