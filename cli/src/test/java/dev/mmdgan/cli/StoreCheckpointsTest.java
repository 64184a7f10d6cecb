package dev.mmdgan.cli;

import static dev.mmdgan.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sample --checkpoint s3://…}, {@code sample --run} and {@code runs download} against a real S3 server (the
 * S3Proxy of {@code ./mmdgan infra}, on its own port and state folder), holding checkpoints uploaded in the trainer
 * service's layout: {@code runs/{run_id}/checkpoints/{step}/…}, manifest last.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StoreCheckpointsTest {

    static final int S3_PORT = 19100;
    static final String ACCESS_KEY = "mmdgan-cli-test";
    static final String SECRET_KEY = "mmdgan-cli-test-secret";
    static final String ENDPOINT = "http://127.0.0.1:" + S3_PORT;

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path STATE = Path.of(System.getProperty("user.dir"), "target", "infra-s3");

    @TempDir
    static Path dir;

    static MinioClient client;
    static String bucket;
    static Path runDir;
    static final String RUN = "0f1e2d3c-run";

    @BeforeAll
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    static void startStoreAndUploadARun() throws Exception {
        infra("start");
        client = MinioClient.builder().endpoint(ENDPOINT).credentials(ACCESS_KEY, SECRET_KEY).region("us-east-1").build();
        bucket = "cli-test-" + UUID.randomUUID().toString().substring(0, 8);
        client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());

        runDir = dir.resolve("run");
        CliTest.Run train = run("train", "--dataset", "moons", "--arch", "mlp-2d", "--steps", "4", "--batch", "16", "--n-critic", "1",
                "--checkpoint-every", "2", "--out", runDir.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        upload(RUN, 2, checkpoint(2), true);
        upload(RUN, 4, checkpoint(4), true);
        upload(RUN, 6, checkpoint(4), false); // an upload in progress: no manifest yet
        upload("half-done", 2, checkpoint(2), false);
    }

    @AfterAll
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    static void stopStore() throws Exception {
        if (client != null) {
            client.close();
        }
        infra("stop");
    }

    static Path checkpoint(long step) {
        return runDir.resolve("checkpoints").resolve(String.format("step-%08d", step));
    }

    /** Uploads a checkpoint folder as the trainer does: every file, the manifest last (or not at all). */
    static void upload(String runId, long step, Path folder, boolean withManifest) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = new ArrayList<>(walk.filter(Files::isRegularFile).toList());
        }
        files.sort(Comparator.comparing(f -> f.getFileName().toString().equals(Checkpoints.MANIFEST)));
        for (Path f : files) {
            if (!withManifest && f.getFileName().toString().equals(Checkpoints.MANIFEST)) {
                continue;
            }
            String key = "runs/" + runId + "/checkpoints/" + step + "/" + folder.relativize(f).toString().replace('\\', '/');
            client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(f.toString()).build());
        }
    }

    /** The arguments, then the store options of this test. */
    static CliTest.Run withStore(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--s3-endpoint", ENDPOINT, "--s3-access-key", ACCESS_KEY, "--s3-secret-key", SECRET_KEY, "--bucket", bucket));
        return run(all.toArray(String[]::new));
    }

    static Path sampleLocally(long step, String name) {
        Path out = dir.resolve(name);
        CliTest.Run r = run("sample", "--checkpoint", checkpoint(step).toString(), "--n", "25", "--seed", "3", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        return out;
    }

    @Test
    void sampleReadsCheckpointsFromTheStoreByAddressOrRun() throws IOException {
        Path local4 = sampleLocally(4, "local-4.npy");
        Path local2 = sampleLocally(2, "local-2.npy");

        Path byAddress = dir.resolve("address.npy");
        CliTest.Run r = withStore("sample", "--checkpoint", "s3://" + bucket + "/runs/" + RUN + "/checkpoints/4", "--n", "25",
                "--seed", "3", "--out", byAddress.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json()).containsEntry("checkpoint", "s3://" + bucket + "/runs/" + RUN + "/checkpoints/4/").containsEntry("step", 4L);
        assertThat(NpyArrays.readArray(byAddress)).isEqualTo(NpyArrays.readArray(local4));

        // The newest complete checkpoint: step 6 has no manifest yet.
        Path newest = dir.resolve("newest.npy");
        r = withStore("sample", "--run", RUN, "--n", "25", "--seed", "3", "--out", newest.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json()).containsEntry("step", 4L);
        assertThat(NpyArrays.readArray(newest)).isEqualTo(NpyArrays.readArray(local4));

        Path atStep = dir.resolve("step-2.npy");
        r = withStore("sample", "--run", RUN, "--step", "2", "--n", "25", "--seed", "3", "--out", atStep.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(NpyArrays.readArray(atStep)).isEqualTo(NpyArrays.readArray(local2));

        Path picture = dir.resolve("store.png"); // moons are generated, so the witness can be drawn here too
        r = withStore("sample", "--checkpoint", "s3://" + bucket + "/runs/" + RUN, "--n", "100", "--out", picture.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(ImageIO.read(picture.toFile()).getWidth()).isEqualTo(640);
    }

    @Test
    void runsDownloadFetchesAVerifiedCheckpoint() throws IOException {
        Path newest = dir.resolve("downloads").resolve("newest");
        CliTest.Run r = withStore("runs", "download", RUN, "--out", newest.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json()).containsEntry("run_id", RUN).containsEntry("step", 4L)
                .containsEntry("source", "s3://" + bucket + "/runs/" + RUN + "/checkpoints/4/");
        Checkpoints.verify(newest);
        try (Stream<Path> files = Files.list(newest.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("newest"); // no partial folder left
        }
        for (String file : List.of(Checkpoints.MANIFEST, Checkpoints.METADATA, Checkpoints.GENERATOR_GRAPH)) {
            assertThat(Files.readAllBytes(newest.resolve(file))).as(file).isEqualTo(Files.readAllBytes(checkpoint(4).resolve(file)));
        }

        Path second = Files.createDirectories(dir.resolve("downloads").resolve("second")); // an empty folder will do
        r = withStore("runs", "download", RUN, "--step", "2", "--out", second.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Checkpoints.metadata(second).getProperty("step")).isEqualTo("2");

        Path out = dir.resolve("downloaded.npy");
        r = run("sample", "--checkpoint", second.toString(), "--n", "25", "--seed", "3", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(NpyArrays.readArray(out)).isEqualTo(NpyArrays.readArray(sampleLocally(2, "local-2b.npy")));

        r = withStore("runs", "download", RUN, "--out", second.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("already exists and is not an empty folder");
    }

    @Test
    void storeProblemsAreOneLineAndExitTwo() throws Exception {
        String png = dir.resolve("never.png").toString();
        Path damaged = dir.resolve("damaged");
        copy(checkpoint(4), damaged);
        byte[] graph = Files.readAllBytes(damaged.resolve(Checkpoints.GENERATOR_GRAPH));
        graph[graph.length / 2] ^= 1;
        Files.write(damaged.resolve(Checkpoints.GENERATOR_GRAPH), graph);
        upload("damaged", 4, damaged, true);

        Map<String, CliTest.Run> cases = new java.util.LinkedHashMap<>();
        cases.put("no run nope in bucket " + bucket + " of the store at " + ENDPOINT,
                withStore("sample", "--run", "nope", "--out", png));
        cases.put("no run nope in bucket", withStore("runs", "download", "nope", "--out", dir.resolve("d1").toString()));
        cases.put("run half-done has no complete checkpoint yet", withStore("sample", "--run", "half-done", "--out", png));
        cases.put("run " + RUN + " has no complete checkpoint at step 6; complete ones are at steps 4, 2",
                withStore("sample", "--checkpoint", "s3://" + bucket + "/runs/" + RUN + "/checkpoints/6", "--out", png));
        cases.put("has no complete checkpoint at step 3",
                withStore("runs", "download", RUN, "--step", "3", "--out", dir.resolve("d2").toString()));
        cases.put("generator.sd does not match its SHA-256 in the manifest", withStore("sample", "--run", "damaged", "--out", png));
        cases.put("the store at " + ENDPOINT + " has no bucket no-such-bucket",
                withStore("sample", "--checkpoint", "s3://no-such-bucket/runs/" + RUN + "/checkpoints/4", "--out", png));
        cases.put("the store at " + ENDPOINT + " refused the credentials", run("sample", "--run", RUN, "--out", png,
                "--s3-endpoint", ENDPOINT, "--s3-access-key", ACCESS_KEY, "--s3-secret-key", "wrong", "--bucket", bucket));
        cases.put("cannot reach the store at http://127.0.0.1:1 (", run("runs", "download", RUN, "--out", dir.resolve("d3").toString(),
                "--s3-endpoint", "http://127.0.0.1:1", "--s3-access-key", ACCESS_KEY, "--s3-secret-key", SECRET_KEY));
        cases.forEach((message, r) -> {
            assertThat(r.exitCode()).as(message + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip()).contains(message).doesNotContain("\n");
        });
        assertThat(dir.resolve("d1")).doesNotExist();
        assertThat(dir.resolve("d3")).doesNotExist();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.sorted().toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }

    /** {@code ./mmdgan infra COMMAND s3} on this test's port, keys and state folder. */
    static void infra(String command) throws IOException, InterruptedException {
        Files.createDirectories(STATE);
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("mmdgan").toString(), "infra", command, "s3")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(STATE.resolve("infra.log").toFile()));
        pb.environment().putAll(Map.of("MMDGAN_INFRA_DIR", STATE.toString(), "MMDGAN_S3_PORT", Integer.toString(S3_PORT),
                "MMDGAN_S3_ACCESS_KEY", ACCESS_KEY, "MMDGAN_S3_SECRET_KEY", SECRET_KEY));
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroy();
            throw new IllegalStateException("./mmdgan infra " + command + " s3 failed; see " + STATE.resolve("infra.log"));
        }
    }
}
