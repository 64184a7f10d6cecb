/** gRPC: the EvaluatorService endpoint, its field checks and the computations on uploaded rows. */
package dev.mmdgan.evaluator.api;
