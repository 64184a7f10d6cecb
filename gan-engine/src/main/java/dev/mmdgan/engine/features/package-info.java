/**
 * Feature networks: the fixed embeddings on which KID and the two-sample tests compare real and generated samples
 * ({@link dev.mmdgan.engine.features.FeatureNetwork}); the identity for 2-D data
 * ({@link dev.mmdgan.engine.features.RawFeatures}); the standard classifier of Fashion-MNIST and MNIST
 * ({@link dev.mmdgan.engine.features.ClassifierCnn}, trained by {@link dev.mmdgan.engine.features.FeatureNetTrainer});
 * versioned artifacts ({@link dev.mmdgan.engine.features.FeatureNetworks}, {@link dev.mmdgan.engine.features.FeatureNetManifest});
 * and KID against a prepared real set ({@link dev.mmdgan.engine.features.KidEvaluator}).
 */
package dev.mmdgan.engine.features;
