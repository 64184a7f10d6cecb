/**
 * Offline checks of the deployment files: every kustomize overlay under {@code deploy/} rendered with
 * {@code kubectl kustomize} and bound strictly to the Kubernetes model classes, and {@code docker-compose.yml} parsed by
 * {@code docker-compose config}.
 */
package dev.mmdgan.deploy;
