/**
 * The object store: {@link dev.mmdgan.service.storage.BlobStore} (S3 through MinIO's client, or an in-memory fake in
 * tests), {@link dev.mmdgan.service.storage.Retry} (backoff while the store is away) and
 * {@link dev.mmdgan.service.storage.CheckpointStore} (the checkpoint layout every service shares).
 */
package dev.mmdgan.service.storage;
