/**
 * Trained generators for inference: {@link dev.mmdgan.engine.model.GeneratorModel} loads a checkpoint's
 * inference-only graph without the trainer or the data set and makes samples from seeds (through
 * {@link dev.mmdgan.engine.model.LatentNoise}, optionally truncated) or from given noise, safely from many threads.
 * It serves the graph constant-folded ({@code FoldedGraph}) when that gives the stored graph's bits.
 */
package dev.mmdgan.engine.model;
