/** The gRPC endpoint (TrainerService) and its bearer-token check. */
package dev.mmdgan.trainer.api;
