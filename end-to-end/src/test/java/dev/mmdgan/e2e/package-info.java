/**
 * The whole product as a user runs it: {@code ./mmdgan up} on free ports and a state folder of its own, the CLI and the
 * published gRPC API against the three services, the real broker and store, both client examples, and
 * {@code ./mmdgan down}. Nothing here knows a service's internals.
 */
package dev.mmdgan.e2e;
