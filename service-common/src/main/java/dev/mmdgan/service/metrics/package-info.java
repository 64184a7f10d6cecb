/** Prometheus metrics of a service: one registry, served at {@code /metrics}. */
package dev.mmdgan.service.metrics;
