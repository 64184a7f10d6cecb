/** The S3-compatible object store: checkpoints and run records, written with retries. */
package dev.mmdgan.trainer.storage;
