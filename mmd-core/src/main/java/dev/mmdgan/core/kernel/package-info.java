/**
 * Kernels of docs/methods.md §1. Every kernel is a function of the inner product and the two squared norms of a
 * pair ({@link dev.mmdgan.core.kernel.PairTerms}), so a Gram matrix needs one matrix product plus element-wise
 * work; squared distances are formed as ‖a‖² + ‖b‖² − 2⟨a,b⟩ and clamped at 0. Each kernel is written once
 * against {@link dev.mmdgan.core.kernel.TensorAlgebra}: {@link dev.mmdgan.core.kernel.Nd4jAlgebra} evaluates it
 * on ND4J arrays here, and the GAN engine evaluates the same definition on SameDiff variables.
 * {@link dev.mmdgan.core.kernel.Kernels} builds kernels by name.
 */
package dev.mmdgan.core.kernel;
