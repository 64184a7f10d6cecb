/**
 * Kernels of METHODS.md §1. Every kernel is a function of the inner product and the two squared
 * norms of a pair, so a Gram matrix needs one matrix product plus element-wise work; squared
 * distances are formed as ‖a‖² + ‖b‖² − 2⟨a,b⟩ and clamped at 0. {@link dev.mmdgan.core.kernel.Kernels}
 * builds kernels by name.
 */
package dev.mmdgan.core.kernel;
