/** Health of a service: readiness (broker and store answer) and liveness (no background thread died). */
package dev.mmdgan.service.health;
