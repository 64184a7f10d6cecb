/**
 * MMD² estimators (docs/methods.md §2): unbiased (default), U-statistic and biased; the variance of the
 * unbiased estimator in the opt-mmd form; the witness function. All sums are taken in double.
 */
package dev.mmdgan.core.mmd;
