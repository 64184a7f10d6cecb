/**
 * The MMD GAN training engine on ND4J SameDiff.
 *
 * <ul>
 *   <li>{@link dev.mmdgan.engine.data} — training data sets (moons, .npy), scaled and split;</li>
 *   <li>{@link dev.mmdgan.engine.graph} — the SameDiff side: tensor algebra for the shared kernels,
 *       parameters, architectures;</li>
 *   <li>{@link dev.mmdgan.engine.loss} — critic and generator losses of docs/methods.md §3;</li>
 *   <li>{@link dev.mmdgan.engine.train} — Adam per network and the training loop;</li>
 *   <li>{@link dev.mmdgan.engine.checkpoint} — checkpoints, their provenance and manifest;</li>
 *   <li>{@link dev.mmdgan.engine.model} — a checkpoint's generator for inference, without trainer or data.</li>
 * </ul>
 *
 * Each network is updated through its own SameDiff graph (critic loss for the critic, generator loss for the
 * generator); the graphs share the parameter arrays, so an update made through one is seen by the other.
 */
package dev.mmdgan.engine;
