/**
 * The statistics of the MMD GAN platform, on ND4J arrays.
 *
 * <ul>
 *   <li>{@link dev.mmdgan.core.kernel} — the kernels of docs/methods.md §1 behind one small interface;</li>
 *   <li>{@link dev.mmdgan.core.mmd} — MMD² estimators, their variance and the witness function (§2);</li>
 *   <li>{@link dev.mmdgan.core.kid} — Kernel Inception Distance, by subsets or blocks (§7);</li>
 *   <li>{@link dev.mmdgan.core.relative} — the relative similarity test and the learning-rate decay rule (§8);</li>
 *   <li>{@link dev.mmdgan.core.twosample} — permutation two-sample tests and test-power kernel choice (§9);</li>
 *   <li>{@link dev.mmdgan.core.io} — reading and writing {@code .npy} arrays.</li>
 * </ul>
 *
 * Inputs are matrices with one sample per row. Sums that make up an MMD² are accumulated in double,
 * because MMD² is a small difference of large sums.
 */
package dev.mmdgan.core;
