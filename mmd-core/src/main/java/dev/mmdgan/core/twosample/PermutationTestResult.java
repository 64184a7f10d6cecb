package dev.mmdgan.core.twosample;

/**
 * @param mmd2         unbiased MMD² of the observed split
 * @param pValue       (1 + #{permuted ≥ observed}) / (1 + permutations)
 * @param reject       whether H0 (same distribution) is rejected at level alpha, i.e. p ≤ alpha
 * @param permutations number of random permutations
 * @param threshold    the (1 − alpha) quantile of the permuted statistics
 * @param alpha        the level
 */
public record PermutationTestResult(double mmd2, double pValue, boolean reject, int permutations,
                                    double threshold, double alpha) {
}
