/**
 * The evaluation domain, plain Java: scoring a checkpoint (KID on a fixed feature network, the relative test's sums, a
 * picture), each run's learning-rate rule and its saved progress, and the bounded queue of checkpoints waiting.
 * Tested on in-memory fakes.
 */
package dev.mmdgan.evaluator.evaluation;
