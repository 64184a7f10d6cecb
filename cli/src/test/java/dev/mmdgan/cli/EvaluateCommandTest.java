package dev.mmdgan.cli;

import static dev.mmdgan.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.kid.KidReference;
import dev.mmdgan.engine.data.DataOptions;
import dev.mmdgan.engine.data.Datasets;
import dev.mmdgan.engine.model.GeneratorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** evaluate, bench evaluate and the KID panel of plot, on a tiny moons run (raw features: no network to train). */
class EvaluateCommandTest {

    @TempDir
    static Path dir;

    static Path runDir;

    @BeforeAll
    static void trainTinyRun() throws IOException {
        runDir = dir.resolve("run");
        CliTest.Run train = run("train", "--dataset", "moons", "--arch", "mlp-2d", "--steps", "4", "--batch", "32",
                "--n-critic", "1", "--checkpoint-every", "2", "--out", runDir.toString(), "--json");
        assertThat(train.exitCode()).as(train.err()).isZero();
    }

    @Test
    void aClassifierBelowTheRequiredAccuracyIsAClearRefusalAndWritesNothing() {
        Path out = dir.resolve("refused-nets");
        CliTest.Run train = run("features", "train", "--dataset", "fashion-mnist", "--epochs", "1", "--train-limit", "256",
                "--test-limit", "100", "--min-accuracy", "1.0", "--out", out.toString(), "--json");
        assertThat(train.exitCode()).isEqualTo(2);
        assertThat(train.err()).contains("below the required 1.0000").contains("--epochs").doesNotContain("internal error");
        assertThat(out.resolve("fashion-mnist-cnn/v1/feature-net.properties")).doesNotExist();
    }

    @Test
    void anImportedGraphBecomesAFeatureNetworkThatLabelsItsKids() throws IOException {
        // The user's own network: 28x28 images -> 8 features (one dense layer and a tanh), saved by SameDiff.
        org.nd4j.autodiff.samediff.SameDiff sd = org.nd4j.autodiff.samediff.SameDiff.create();
        var x = sd.placeHolder("image", org.nd4j.linalg.api.buffer.DataType.FLOAT, -1, 1, 28, 28);
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(5);
        var w = sd.var("w", org.nd4j.linalg.factory.Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, 784, 8).muli(0.05));
        sd.math.tanh("features", x.reshape(-1, 784).mmul(w));
        Path graph = dir.resolve("mine.sd");
        sd.save(graph.toFile(), false);

        Path nets = dir.resolve("my-nets");
        CliTest.Run imported = run("features", "import", "--graph", graph.toString(), "--input", "image", "--output", "features",
                "--input-shape", "1,28,28", "--name", "my-net", "--out", nets.toString(), "--json");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.json()).containsEntry("feature_network", "my-net-v1").containsEntry("feature_dim", 8L);

        CliTest.Run floor = run("features", "floor", "--feature-net", nets.resolve("my-net/v1").toString(), "--subsets", "10",
                "--subset-size", "500", "--json");
        assertThat(floor.exitCode()).as(floor.err()).isZero();
        assertThat(floor.json()).containsEntry("kid_label", "kid@my-net-v1");

        CliTest.Run wrong = run("features", "import", "--graph", graph.toString(), "--input", "pixels", "--output", "features",
                "--input-shape", "1,28,28", "--name", "my-net", "--out", nets.toString());
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("no variable 'pixels'").contains("image");
    }

    @Test
    void evaluateMatchesKidComputedDirectlyAndRecordsForPlot() throws IOException {
        Path record = runDir.resolve("evaluations.csv");
        Path step2 = runDir.resolve("checkpoints/step-00000002");
        CliTest.Run first = run("evaluate", "--checkpoint", step2.toString(), "--n", "1500", "--subsets", "20",
                "--subset-size", "500", "--record", record.toString(), "--json");
        assertThat(first.exitCode()).as(first.err()).isZero();
        Map<String, Object> json = first.json();
        assertThat(json).containsEntry("step", 2L).containsEntry("feature_network", "raw-2d").containsEntry("kid_label", "kid@raw-2d")
                .containsEntry("n", 1500L).containsEntry("n_real", 10_000L).containsEntry("real_reference", "10000 fresh moons points");

        // The same KID, computed here from the generator, fresh moons and the library.
        INDArray real = Datasets.referenceSamples("moons", null, DataOptions.DEFAULTS, 10_000, EvaluateCommand.FRESH_SEED);
        INDArray fake;
        try (GeneratorModel model = GeneratorModel.load(step2)) {
            fake = model.generate(LongStream.range(0, 1500).toArray());
        }
        double expected = KidReference.kid(real, fake, KidConfig.defaults().withSubsets(20, 500)).mean();
        assertThat((Double) json.get("kid_mean")).isCloseTo(expected, within(1e-12 + 1e-9 * Math.abs(expected)));
        assertThat((Double) json.get("mmd2_fresh")).isFinite();

        CliTest.Run second = run("evaluate", "--checkpoint", runDir.toString(), "--n", "1500", "--subsets", "20",
                "--subset-size", "500", "--record", record.toString(), "--json");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.json()).containsEntry("step", 4L);
        List<String> lines = Files.readAllLines(record);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("step,kid_mean,kid_std,kid_stderr,n,feature_network");
        assertThat(lines.get(1)).startsWith("2,").endsWith(",1500,raw-2d");

        Path png = dir.resolve("curves.png");
        CliTest.Run plot = run("plot", "--run", runDir.toString(), "--out", png.toString(), "--json");
        assertThat(plot.exitCode()).as(plot.err()).isZero();
        assertThat(plot.json()).containsEntry("evaluations", 2L);
        assertThat(ImageIO.read(png.toFile()).getHeight()).isEqualTo(3 * (300 + 20) + 20);
    }

    @Test
    void benchEvaluateWritesEveryPart() throws IOException {
        Path out = dir.resolve("bench-evaluate.json");
        CliTest.Run bench = run("bench", "evaluate", "--checkpoint", runDir.toString(), "--n", "1200", "--relative-n", "300",
                "--repeats", "1", "--warmups", "1", "--out", out.toString(), "--json");
        assertThat(bench.exitCode()).as(bench.err()).isZero();
        Map<String, Object> json = bench.json();
        for (String part : List.of("total_s", "generate_s", "features_s", "kid_s", "relative_test_s", "store_event_serialise_s")) {
            assertThat((Double) json.get(part)).as(part).isGreaterThanOrEqualTo(0.0);
        }
        double parts = (Double) json.get("generate_s") + (Double) json.get("features_s") + (Double) json.get("kid_s")
                + (Double) json.get("relative_test_s") + (Double) json.get("store_event_serialise_s");
        assertThat((Double) json.get("total_s")).isCloseTo(parts, within(0.05 + 0.05 * parts));
        assertThat(json).containsEntry("feature_network", "raw-2d");
        assertThat(Files.readString(out)).contains("\"relative_test_s\"");
    }

    @Test
    void evaluateRefusesAMissingFeatureNetworkWithTheCommandToMakeIt() {
        CliTest.Run r = run("evaluate", "--checkpoint", runDir.toString(), "--n", "1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--n must be ≥ 2");
    }

    @Test
    void axisTicksAreRoundAndCoverTheRange() {
        assertThat(Axes.ticks(0, 7000, 8)).containsExactly(0, 1000, 2000, 3000, 4000, 5000, 6000, 7000);
        assertThat(Axes.ticks(-0.013, 0.042, 5)).containsExactly(-0.02, 0, 0.02, 0.04, 0.06);
        double[] t = Axes.ticks(0.00012, 0.00031, 5);
        assertThat(t[0]).isLessThanOrEqualTo(0.00012);
        assertThat(t[t.length - 1]).isGreaterThanOrEqualTo(0.00031);
        assertThat(Axes.label(0.02, Axes.ticks(-0.013, 0.042, 5))).isEqualTo("0.02");
        assertThat(Axes.label(0, Axes.ticks(-0.013, 0.042, 5))).isEqualTo("0");
        assertThat(Axes.label(2000, Axes.ticks(0, 7000, 8))).isEqualTo("2000");
    }
}
