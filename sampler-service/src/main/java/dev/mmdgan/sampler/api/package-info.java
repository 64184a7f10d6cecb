/** SamplerService over gRPC: request checks, leasing, batching and the answers' formats. */
package dev.mmdgan.sampler.api;
