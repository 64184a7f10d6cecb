/**
 * Kernel Inception Distance (docs/methods.md §7): the unbiased MMD² with the cubic polynomial kernel on
 * features, averaged over random subsets ({@link dev.mmdgan.core.kid.KidReference}) or contiguous blocks
 * ({@link dev.mmdgan.core.kid.KidBlocks}).
 *
 * <p>Speed: Gram products run in float32 through OpenBLAS, the within-set ones as symmetric products
 * (half the work), and kernel sums are accumulated in double. A {@code KidReference} keeps what depends
 * only on the real features (their subsets and within-set sums), so scoring another generator against
 * the same real set only pays for the fake-fake and real-fake products.
 */
package dev.mmdgan.core.kid;
