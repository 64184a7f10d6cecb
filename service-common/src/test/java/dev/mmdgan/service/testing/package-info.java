/**
 * Test support every service shares, shipped in service-common's test-jar: {@link dev.mmdgan.service.testing.LocalInfra}
 * starts the real broker and store for a service's Quarkus tests and isolates each test class.
 */
package dev.mmdgan.service.testing;
