package dev.mmdgan.cli;

import static dev.mmdgan.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmdgan.core.io.NpyArrays;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `train`, `sample` and resume, as a user runs them, on a few moons steps. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TrainAndSampleTest {

    @TempDir
    Path dir;

    @Test
    void imageRunsSampleAsGridsAndImageArrays() throws IOException {
        Path images = dir.resolve("images.npy");
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(1);
        NpyArrays.write(images, org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 24, 1, 28, 28));
        Path runDir = dir.resolve("images");
        CliTest.Run train = run("train", "--dataset", "npy", "--data", images.toString(), "--arch", "dcgan-28", "--loss", "mmd-gp",
                "--steps", "2", "--batch", "4", "--n-critic", "1", "--critic-dim", "8", "--out", runDir.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();

        Files.delete(images); // sampling needs the generator only
        Path png = dir.resolve("grid.png");
        CliTest.Run grid9 = run("sample", "--checkpoint", runDir.toString(), "--n", "9", "--out", png.toString());
        assertThat(grid9.exitCode()).as(grid9.err()).isZero();
        var grid = ImageIO.read(png.toFile());
        assertThat(grid.getWidth()).isEqualTo(2 + 3 * (2 + 28 * 2)); // 3 × 3 images at 2× with 2-pixel gaps
        assertThat(grid.getHeight()).isEqualTo(grid.getWidth());

        Path npy = dir.resolve("images-out.npy");
        assertThat(run("sample", "--checkpoint", runDir.toString(), "--n", "5", "--out", npy.toString()).exitCode()).isZero();
        assertThat(NpyArrays.readArray(npy).shape()).containsExactly(5, 1, 28, 28);
    }

    @Test
    void trainWritesMetricsAndCheckpointsThenSampleAndResumeWork() throws IOException {
        Path runDir = dir.resolve("run");
        CliTest.Run train = run("train", "--dataset", "moons", "--arch", "mlp-2d", "--steps", "6", "--batch", "32",
                "--n-critic", "1", "--checkpoint-every", "3", "--out", runDir.toString(), "--json");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.json()).containsEntry("steps", 6L);
        List<String> csv = Files.readAllLines(runDir.resolve("metrics.csv"));
        assertThat(csv.get(0)).isEqualTo("step,critic_loss,generator_loss,lr_generator,lr_critic");
        assertThat(csv).hasSize(7);
        assertThat(runDir.resolve("checkpoints/step-00000003/MANIFEST.sha256")).exists();
        assertThat(runDir.resolve("checkpoints/step-00000006/MANIFEST.sha256")).exists();
        assertThat(runDir.resolve("run.properties")).exists();

        Path npy = dir.resolve("samples.npy");
        CliTest.Run sample = run("sample", "--checkpoint", runDir.toString(), "--n", "50", "--out", npy.toString(), "--json");
        assertThat(sample.exitCode()).as(sample.err()).isZero();
        assertThat(sample.json()).containsEntry("step", 6L);
        assertThat(NpyArrays.readMatrix(npy).shape()).containsExactly(50, 2);

        Path png = dir.resolve("samples.png");
        assertThat(run("sample", "--checkpoint", runDir.resolve("checkpoints/step-00000003").toString(), "--n", "200",
                "--out", png.toString()).exitCode()).isZero();
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(640);

        Path curves = dir.resolve("curves.png");
        CliTest.Run plot = run("plot", "--run", runDir.toString(), "--out", curves.toString(), "--json");
        assertThat(plot.exitCode()).as(plot.err()).isZero();
        assertThat(plot.json()).containsEntry("steps", 6L);
        assertThat(ImageIO.read(curves.toFile()).getWidth()).isEqualTo(900);

        CliTest.Run resumed = run("train", "--dataset", "moons", "--arch", "mlp-2d", "--steps", "8", "--out", runDir.toString(),
                "--resume", runDir.toString(), "--json");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.json()).containsEntry("steps", 8L);
        assertThat(Files.readAllLines(runDir.resolve("metrics.csv"))).hasSize(9);
    }

    @Test
    void aTimeLimitEndsTheRunAfterTheStepUnderWayWithACheckpoint() throws IOException {
        Path runDir = dir.resolve("timed");
        CliTest.Run train = run("train", "--dataset", "moons", "--arch", "mlp-2d", "--steps", "1000", "--batch", "16",
                "--n-critic", "1", "--checkpoint-every", "1", "--time-limit", "1ms", "--out", runDir.toString(), "--json");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.json()).containsEntry("steps", 1L).containsEntry("ended_by", "time-limit");
        assertThat(Files.readAllLines(runDir.resolve("metrics.csv"))).hasSize(2);
        assertThat(runDir.resolve("checkpoints/step-00000001/MANIFEST.sha256")).exists();

        CliTest.Run untimed = run("train", "--dataset", "moons", "--arch", "mlp-2d", "--steps", "2", "--batch", "16",
                "--n-critic", "1", "--time-limit", "1h", "--out", dir.resolve("untimed").toString(), "--json");
        assertThat(untimed.json()).containsEntry("steps", 2L).containsEntry("ended_by", "steps");

        CliTest.Run bad = run("train", "--dataset", "moons", "--arch", "mlp-2d", "--steps", "2", "--time-limit", "30",
                "--out", dir.resolve("bad").toString());
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("'30' is not a positive duration such as 500ms, 30s, 2m or 1h");
    }

    @Test
    void sampleWorksWithTheTrainingDataGone() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data")).resolve("points.npy");
        NpyArrays.write(data, dev.mmdgan.engine.data.Moons.sample(200, 0.1, 5));
        Path runDir = dir.resolve("elsewhere").resolve("run");
        CliTest.Run train = run("train", "--dataset", "npy", "--data", data.toString(), "--arch", "mlp-2d", "--steps", "3",
                "--batch", "16", "--n-critic", "1", "--out", runDir.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        Path png = dir.resolve("with-data.png");
        CliTest.Run withData = run("sample", "--checkpoint", runDir.toString(), "--n", "100", "--out", png.toString());
        assertThat(withData.exitCode()).as(withData.err()).isZero();
        assertThat(withData.err()).isEmpty();
        Path npyWithData = dir.resolve("with-data.npy");
        assertThat(run("sample", "--checkpoint", runDir.toString(), "--n", "30", "--seed", "4", "--out", npyWithData.toString())
                .exitCode()).isZero();

        Files.delete(data);
        Files.delete(data.getParent());
        Path npy = dir.resolve("without-data.npy");
        CliTest.Run samples = run("sample", "--checkpoint", runDir.toString(), "--n", "30", "--seed", "4", "--out", npy.toString(), "--json");
        assertThat(samples.exitCode()).as(samples.err()).isZero();
        assertThat(samples.json()).containsEntry("step", 3L).containsEntry("n", 30L);
        assertThat(NpyArrays.readArray(npy)).isEqualTo(NpyArrays.readArray(npyWithData));
        // Sample i comes from seed SEED + i: the last 10 of seeds 4..33 are the first 10 of seeds 24..43.
        Path shifted = dir.resolve("shifted.npy");
        assertThat(run("sample", "--checkpoint", runDir.toString(), "--n", "10", "--seed", "24", "--out", shifted.toString())
                .exitCode()).isZero();
        assertThat(NpyArrays.readArray(shifted)).isEqualTo(NpyArrays.readArray(npy).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(20, 30), org.nd4j.linalg.indexing.NDArrayIndex.all()));

        Path picture = dir.resolve("without-data.png");
        CliTest.Run drawn = run("sample", "--checkpoint", runDir.toString(), "--n", "100", "--out", picture.toString());
        assertThat(drawn.exitCode()).as(drawn.err()).isZero();
        assertThat(drawn.err().strip()).doesNotContain("\n")
                .isEqualTo("mmdgan sample: the run's data (npy " + data + ") is not here: drawing the samples without the critic's witness");
        assertThat(ImageIO.read(picture.toFile()).getWidth()).isEqualTo(640);

        CliTest.Run truncated = run("sample", "--checkpoint", runDir.toString(), "--n", "30", "--seed", "4", "--truncation", "0.5",
                "--out", dir.resolve("truncated.npy").toString());
        assertThat(truncated.exitCode()).as(truncated.err()).isZero();
        assertThat(NpyArrays.readArray(dir.resolve("truncated.npy"))).isNotEqualTo(NpyArrays.readArray(npy));
    }

    @Test
    void trainingPrintsNothingButItsReportOnStandardOutput() {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true));
        try {
            CliTest.Run r = run("train", "--dataset", "moons", "--arch", "mlp-2d", "--steps", "2", "--batch", "16", "--n-critic", "1",
                    "--out", dir.resolve("quiet").toString(), "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString()).as("stray output from libraries").isEmpty();
    }

    @Test
    void benchTrainReportsItsFigures() throws IOException {
        Path out = dir.resolve("bench-train.json");
        CliTest.Run r = run("bench", "train", "--arch", "mlp-2d", "--batch", "16", "--warmup", "1", "--steps", "10",
                "--out", out.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json()).containsKeys("critic_step_ms", "generator_step_ms", "generate_1000_ms", "max_step_ms", "rss_mb");
        assertThat(Files.readString(out)).contains("\"critic_step_ms\"");
    }

    @Test
    void badTrainingInputIsOneLineAndExitTwo() {
        String out = dir.resolve("x").toString();
        String[][] cases = {
            {"unknown architecture 'resnet'; allowed: mlp-2d, dcgan-28, dcgan-32, dcgan-64", "--dataset", "moons", "--arch", "resnet", "--steps", "5", "--out", out},
            {"architecture dcgan-28 makes samples of shape [1, 28, 28] but data set moons has samples of shape [2]",
                "--dataset", "moons", "--arch", "dcgan-28", "--steps", "5", "--out", out},
            {"unknown spectral norm 'sn'; allowed: none, pim, pico, learned-scale", "--dataset", "moons", "--arch", "mlp-2d",
                "--spectral-norm", "sn", "--steps", "5", "--out", out},
            {"spectral norm constant must be > 0, got -1.0", "--dataset", "moons", "--arch", "mlp-2d", "--spectral-norm", "pico",
                "--sn-constant", "-1", "--steps", "5", "--out", out},
            {"unknown loss 'wgan'", "--dataset", "moons", "--arch", "mlp-2d", "--loss", "wgan", "--steps", "5", "--out", out},
            {"unknown data set 'imagenet'", "--dataset", "imagenet", "--arch", "mlp-2d", "--steps", "5", "--out", out},
            {"steps must be ≥ 1, got 0", "--dataset", "moons", "--arch", "mlp-2d", "--steps", "0", "--out", out},
            {"batch must be ≥ 1, got -4", "--dataset", "moons", "--arch", "mlp-2d", "--batch", "-4", "--steps", "5", "--out", out},
            {"lr-g must be a finite learning rate > 0, got 0.0", "--dataset", "moons", "--arch", "mlp-2d", "--lr-g", "0",
                "--steps", "5", "--out", out},
            {"unknown kernel 'gauss'", "--dataset", "moons", "--arch", "mlp-2d", "--kernel", "gauss", "--steps", "5", "--out", out},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length];
            args[0] = "train";
            System.arraycopy(c, 1, args, 1, c.length - 1);
            CliTest.Run r = run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip()).as(String.join(" ", args)).contains(c[0]).doesNotContain("\n");
        }
        CliTest.Run badOut = run("sample", "--checkpoint", dir.toString(), "--out", dir.resolve("x.jpg").toString());
        assertThat(badOut.exitCode()).isEqualTo(2);
        assertThat(badOut.err()).contains("--out must end in .npy (raw samples) or .png (picture)");
        String png = dir.resolve("x.png").toString();
        String[][] sampleCases = {
            {"give either --checkpoint or --run", "--out", png},
            {"give either --checkpoint or --run", "--checkpoint", dir.toString(), "--run", "abc", "--out", png},
            {"--step goes with --run", "--checkpoint", dir.toString(), "--step", "3", "--out", png},
            {"is neither a checkpoint nor a run folder", "--checkpoint", dir.toString(), "--out", png},
            {"'s3://bucket/models/7' is not a checkpoint address of the trainer's store", "--checkpoint", "s3://bucket/models/7",
                "--s3-access-key", "k", "--s3-secret-key", "s", "--out", png},
            {"'../x' is not a run id", "--run", "../x", "--s3-access-key", "k", "--s3-secret-key", "s", "--out", png},
        };
        for (String[] c : sampleCases) {
            String[] args = new String[c.length];
            args[0] = "sample";
            System.arraycopy(c, 1, args, 1, c.length - 1);
            CliTest.Run r = run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip()).as(String.join(" ", args)).contains(c[0]).doesNotContain("\n");
        }
    }
}
