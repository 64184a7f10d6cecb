package dev.mmdgan.service.storage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A bucket of named objects: the operations the services need from S3, small enough to fake in memory
 * ({@code InMemoryBlobStore} in the test jar). Every method may throw when the store is unreachable.
 */
public interface BlobStore {

    /** An object as a listing shows it. */
    record Blob(String name, long size, Instant lastModified) {
    }

    /** Creates the bucket if it does not exist. */
    void ensureBucket() throws Exception;

    /** Whether the store answers now (a real request). */
    boolean reachable();

    void put(String name, Path file) throws Exception;

    void put(String name, byte[] bytes) throws Exception;

    /** The object's bytes; throws if it does not exist. */
    byte[] get(String name) throws Exception;

    /** Writes the object to {@code target}, replacing it. */
    void download(String name, Path target) throws Exception;

    /** The stored size of an object. */
    long size(String name) throws Exception;

    /** Every object whose name starts with {@code prefix}, at any depth. */
    List<Blob> list(String prefix) throws Exception;

    /** Where an object is, as a URI: {@code s3://bucket/name}. */
    String uri(String name);
}
