/**
 * The relative similarity test (Bounliphone et al.; RELATIVE_TEST.md) and the learning-rate decay rule
 * built on it (METHODS.md §8). Each evaluation is reduced to its O(m) kernel sums
 * ({@link dev.mmdgan.core.relative.EvaluationSums}); the test compares two evaluations against the same
 * fixed real set, and the scheduler keeps only those sums.
 */
package dev.mmdgan.core.relative;
