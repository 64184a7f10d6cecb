package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.service.storage.BlobStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A {@link BlobStore} over another that refuses writes to one object while told to (a store that fails midway). */
final class FakeFlakyBlobStore implements BlobStore {

    private final BlobStore store;
    private volatile String refused = "";

    FakeFlakyBlobStore(BlobStore store) {
        this.store = store;
    }

    void refuseWritesTo(String name) {
        refused = name;
    }

    private void check(String name) throws IOException {
        if (name.equals(refused)) {
            throw new IOException("write to " + name + " failed (injected)");
        }
    }

    @Override
    public void ensureBucket() throws Exception {
        store.ensureBucket();
    }

    @Override
    public boolean reachable() {
        return store.reachable();
    }

    @Override
    public void put(String name, Path file) throws Exception {
        check(name);
        store.put(name, file);
    }

    @Override
    public void put(String name, byte[] bytes) throws Exception {
        check(name);
        store.put(name, bytes);
    }

    @Override
    public byte[] get(String name) throws Exception {
        return store.get(name);
    }

    @Override
    public void download(String name, Path target) throws Exception {
        store.download(name, target);
    }

    @Override
    public long size(String name) throws Exception {
        return store.size(name);
    }

    @Override
    public List<Blob> list(String prefix) throws Exception {
        return store.list(prefix);
    }

    @Override
    public String uri(String name) {
        return store.uri(name);
    }
}
