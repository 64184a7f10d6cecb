/** The trainer's run records in the object store (checkpoints are service-common's {@code CheckpointStore}). */
package dev.mmdgan.trainer.storage;
