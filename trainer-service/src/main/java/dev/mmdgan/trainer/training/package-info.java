/** Runs: validation of run configs, the queue, the training loop, checkpoints and learning-rate decisions. */
package dev.mmdgan.trainer.training;
