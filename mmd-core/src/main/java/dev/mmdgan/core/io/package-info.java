/** NumPy {@code .npy} files (format 1.0–3.0, 2-D float32/float64, C order) to and from ND4J arrays. */
package dev.mmdgan.core.io;
