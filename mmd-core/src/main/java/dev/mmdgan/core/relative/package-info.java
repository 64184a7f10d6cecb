/**
 * The relative similarity test (Bounliphone et al.; docs/methods.md §8.1) and the learning-rate decay rule
 * built on it (§8.2). Each evaluation is reduced to its O(m) kernel sums
 * ({@link dev.mmdgan.core.relative.EvaluationSums}); the test compares two evaluations against the same
 * fixed real set, and the scheduler keeps only those sums.
 */
package dev.mmdgan.core.relative;
