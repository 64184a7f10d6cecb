/** A client app that uses only the published gRPC API (mmdgan-proto): {@link dev.mmdgan.examples.QuickstartClient}. */
package dev.mmdgan.examples;
