/**
 * Two-sample testing with the MMD (docs/methods.md §9, Gretton's lecture): the permutation test on the
 * unbiased MMD² and the test-power criterion MMD²_u / √V for choosing kernel parameters.
 */
package dev.mmdgan.core.twosample;
