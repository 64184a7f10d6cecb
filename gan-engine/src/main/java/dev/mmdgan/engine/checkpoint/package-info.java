/**
 * Checkpoints: a folder with both networks' weights, both optimizers' states, the generator as an
 * inference-only SameDiff graph, the run description and provenance, and a SHA-256 manifest of every file.
 */
package dev.mmdgan.engine.checkpoint;
