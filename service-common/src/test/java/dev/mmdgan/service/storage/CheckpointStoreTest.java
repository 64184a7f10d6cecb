package dev.mmdgan.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.core.io.Sha256;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint layout in the store, on the in-memory fake: complete uploads, retries, verified downloads. */
@Timeout(30)
class CheckpointStoreTest {

    @TempDir
    Path dir;

    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final CheckpointStore store = new CheckpointStore(blobs, new Retry(Duration.ofMillis(1), Duration.ofMillis(5)));

    /** A checkpoint-shaped folder: two files and a manifest of their SHA-256. */
    private Path checkpoint(String name) throws Exception {
        Path c = dir.resolve(name);
        Files.createDirectories(c.resolve("adam"));
        Files.writeString(c.resolve(Checkpoints.METADATA), "format_version=1\nstep=10\n");
        Files.writeString(c.resolve("adam/G__W0.M.npy"), "moments");
        Files.writeString(c.resolve(Checkpoints.MANIFEST), Sha256.of(c.resolve(Checkpoints.METADATA)) + "  " + Checkpoints.METADATA
                + "\n" + Sha256.of(c.resolve("adam/G__W0.M.npy")) + "  adam/G__W0.M.npy\n");
        return c;
    }

    @Test
    void anUploadStoresEveryFileWithTheManifestLastAndDescribesIt() throws Exception {
        CheckpointRef ref = store.upload("r1", 10, checkpoint("c"), () -> true, e -> { });
        assertThat(ref.getUri()).isEqualTo("s3://in-memory/runs/r1/checkpoints/10/");
        assertThat(ref.getManifestSha256()).isEqualTo(Sha256.of(dir.resolve("c").resolve(Checkpoints.MANIFEST)));
        assertThat(store.list("runs/r1/")).containsExactly("runs/r1/checkpoints/10/MANIFEST.sha256",
                "runs/r1/checkpoints/10/adam/G__W0.M.npy", "runs/r1/checkpoints/10/checkpoint.properties");
        CheckpointStore.Stored described = store.describe("r1", 10);
        assertThat(described.ref().getManifestSha256()).isEqualTo(ref.getManifestSha256());
        assertThat(described.ref().getSizeBytes()).isEqualTo(ref.getSizeBytes());
        assertThat(described.metadata().getProperty("step")).isEqualTo("10");
    }

    @Test
    void uploadsRetryWhileTheStoreFailsAndGiveUpWhenTold() throws Exception {
        blobs.failNextWrites(3);
        List<Exception> failures = new ArrayList<>();
        store.upload("r1", 10, checkpoint("c"), () -> true, failures::add);
        assertThat(failures).hasSize(3);
        assertThat(store.latestStep("r1")).contains(10L);

        blobs.down(true);
        assertThatThrownBy(() -> store.upload("r1", 20, checkpoint("d"), () -> false, e -> { }))
                .hasMessageContaining("store unavailable");
    }

    @Test
    void onlyCheckpointsWithAManifestCount() throws Exception {
        store.upload("r1", 10, checkpoint("c"), () -> true, e -> { });
        store.upload("r1", 20, checkpoint("d"), () -> true, e -> { });
        blobs.delete("runs/r1/checkpoints/20/MANIFEST.sha256"); // an upload cut short
        assertThat(store.latestStep("r1")).contains(10L);
        assertThat(store.latestStep("other")).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> store.download("r1", 20, dir.resolve("x"))).hasMessageContaining("no complete checkpoint");
    }

    @Test
    void aDownloadIsVerifiedAgainstItsManifest() throws Exception {
        store.upload("r1", 10, checkpoint("c"), () -> true, e -> { });
        assertThat(store.download("r1", 10, dir.resolve("copy")).resolve("adam/G__W0.M.npy")).hasContent("moments");

        blobs.put("runs/r1/checkpoints/10/adam/G__W0.M.npy", "tampered".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.download("r1", 10, dir.resolve("bad"))).hasMessageContaining("G__W0.M.npy");
    }
}
