/** The evaluator's objects in the store: evaluations, their pictures and each run's learning-rate rule state. */
package dev.mmdgan.evaluator.storage;
