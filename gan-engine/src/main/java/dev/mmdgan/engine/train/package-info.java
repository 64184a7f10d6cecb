/** Training: {@link dev.mmdgan.engine.train.MmdGanTrainer} alternates n_critic critic updates and one generator update. */
package dev.mmdgan.engine.train;
