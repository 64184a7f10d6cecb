package dev.mmdgan.service.storage;

import dev.mmdgan.service.config.StoreConfig;
import io.minio.BucketExistsArgs;
import io.minio.DownloadObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link BlobStore} on any S3 API (MinIO, S3Proxy, AWS) through the MinIO client. */
public final class MinioBlobStore implements BlobStore {

    private final MinioClient client;
    private final String bucket;

    public MinioBlobStore(StoreConfig config) {
        this.client = MinioClient.builder().endpoint(config.endpoint()).credentials(config.accessKey(), config.secretKey())
                .region("us-east-1").build();
        this.bucket = config.bucket();
    }

    @Override
    public void ensureBucket() throws Exception {
        if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
    }

    @Override
    public boolean reachable() {
        try {
            client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void put(String name, Path file) throws Exception {
        client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(name).filename(file.toString()).build());
    }

    @Override
    public void put(String name, byte[] bytes) throws Exception {
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(name).stream(new ByteArrayInputStream(bytes),
                (long) bytes.length, -1L).build());
    }

    @Override
    public byte[] get(String name) throws Exception {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(name).build())) {
            return in.readAllBytes();
        }
    }

    @Override
    public void download(String name, Path target) throws Exception {
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        client.downloadObject(DownloadObjectArgs.builder().bucket(bucket).object(name).filename(target.toString()).build());
    }

    @Override
    public long size(String name) throws Exception {
        return client.statObject(StatObjectArgs.builder().bucket(bucket).object(name).build()).size();
    }

    @Override
    public List<Blob> list(String prefix) throws Exception {
        List<Blob> blobs = new ArrayList<>();
        for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
            Item item = r.get();
            blobs.add(new Blob(item.objectName(), item.size(),
                    item.lastModified() == null ? Instant.EPOCH : item.lastModified().toInstant()));
        }
        return blobs;
    }

    @Override
    public String uri(String name) {
        return "s3://" + bucket + "/" + name;
    }
}
