/** Configuration groups shared by the services: store, Kafka, auth and the service's identity. */
package dev.mmdgan.service.config;
