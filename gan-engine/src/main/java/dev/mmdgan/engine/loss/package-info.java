/**
 * Critic and generator losses of docs/methods.md §3 (the critic minimizes its loss, the generator its own). Losses
 * see critic features of a real and a fake batch and build SameDiff expressions from mmd-core's kernels.
 */
package dev.mmdgan.engine.loss;
