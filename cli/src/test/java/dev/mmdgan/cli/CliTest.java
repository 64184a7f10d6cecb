package dev.mmdgan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.core.kernel.PolynomialKernel;
import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.kid.KidReference;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

/** Every command as a user calls it (same parser, handlers and output), in-process. */
class CliTest {

    @TempDir
    static Path dir;

    static Path real;
    static Path fake;
    static Path wide;
    static Path gauss;
    static Path shifted;

    record Run(int exitCode, String out, String err) {
        Map<String, Object> json() throws IOException {
            Map<String, Object> fields = new LinkedHashMap<>();
            try (JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(out.trim())) {
                assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    fields.put(name, switch (t) {
                        case VALUE_NUMBER_INT -> p.getLongValue();
                        case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                        case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
                        case VALUE_NULL -> "null";
                        default -> p.getText();
                    });
                }
                assertThat(p.nextToken()).as("exactly one JSON object").isNull();
            }
            return fields;
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = MmdganCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void writeInputs() throws IOException {
        Nd4j.getRandom().setSeed(1);
        real = write("real.npy", Nd4j.rand(DataType.FLOAT, 400, 32));
        fake = write("fake.npy", Nd4j.rand(DataType.FLOAT, 300, 32).muli(1.2));
        wide = write("wide.npy", Nd4j.rand(DataType.FLOAT, 400, 33));
        gauss = write("gauss.npy", Nd4j.randn(DataType.DOUBLE, 200, 2));
        shifted = write("shifted.npy", Nd4j.randn(DataType.DOUBLE, 200, 2).addi(0.8));
    }

    static Path write(String name, INDArray a) {
        Path p = dir.resolve(name);
        NpyArrays.write(p, a);
        return p;
    }

    @Test
    void kidPrintsTheDocumentedJsonAndMatchesTheLibrary() throws IOException {
        Run r = run("kid", "--real", real.toString(), "--fake", fake.toString(), "--subsets", "20", "--subset-size", "200",
                "--seed", "3", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, Object> json = r.json();
        assertThat(json).containsOnlyKeys("kid_mean", "kid_std", "kid_stderr", "subsets", "subset_size", "feature_dim",
                "n_real", "n_fake");
        var want = KidReference.kid(NpyArrays.readMatrix(real), NpyArrays.readMatrix(fake),
                new KidConfig(20, 200, 3, PolynomialKernel.KID));
        assertThat((double) json.get("kid_mean")).isEqualTo(want.mean());
        assertThat(json).containsEntry("subsets", 20L).containsEntry("subset_size", 200L).containsEntry("feature_dim", 32L)
                .containsEntry("n_real", 400L).containsEntry("n_fake", 300L);
        assertThat((double) json.get("kid_mean")).isPositive();
    }

    @Test
    void kidBlockEstimatorAndTextOutput() throws IOException {
        Run block = run("kid", "--real", real.toString(), "--fake", fake.toString(), "--block", "--subset-size", "150", "--json");
        assertThat(block.exitCode()).as(block.err()).isZero();
        assertThat(block.json()).containsEntry("subsets", 3L).containsEntry("subset_size", 134L);
        Run text = run("kid", "--real", real.toString(), "--fake", fake.toString(), "--subset-size", "100");
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("kid_mean").contains("subset_size  100");
    }

    @Test
    void relativeTestReportsDiffVarianceRatioAndP() throws IOException {
        Run r = run("relative-test", "--real", gauss.toString(), "--current", gauss.toString(), "--previous", shifted.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, Object> json = r.json();
        assertThat(json).containsOnlyKeys("diff", "variance", "ratio", "p_value");
        assertThat((double) json.get("diff")).isNegative();
        assertThat((double) json.get("p_value")).isLessThan(0.01);
    }

    @Test
    void mmdTestRejectsAShiftAndReportsItsFields() throws IOException {
        Run r = run("mmd-test", "--x", gauss.toString(), "--y", shifted.toString(), "--kernel", "rbf-mix", "--sigmas", "0.5,1",
                "--permutations", "200", "--seed", "1", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, Object> json = r.json();
        assertThat(json).containsOnlyKeys("mmd2", "p_value", "reject", "permutations");
        assertThat(json).containsEntry("reject", true).containsEntry("permutations", 200L);
        assertThat((double) json.get("p_value")).isEqualTo(1.0 / 201);
        Run rq = run("mmd-test", "--x", gauss.toString(), "--y", gauss.toString(), "--kernel", "rq-mix", "--alphas", "0.2", "1", "5",
                "--permutations", "50", "--json");
        assertThat(rq.exitCode()).as(rq.err()).isZero();
        assertThat(rq.json()).containsEntry("reject", false);
    }

    @Test
    void benchKidWritesItsFiguresToAFile() throws IOException {
        Path out = dir.resolve("bench/kid.json");
        Run r = run("bench", "kid", "--n", "300", "--dim", "16", "--subsets", "3", "--subset-size", "100", "--repeats", "1",
                "--out", out.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json()).containsKeys("one_shot_s", "repeated_eval_s", "n", "dim", "subsets", "subset_size")
                .containsEntry("n", 300L).containsEntry("dim", 16L);
        assertThat(Files.readString(out)).contains("\"one_shot_s\"");
    }

    @Test
    void badInputGivesOneLineExitTwoAndNoStackTrace() throws IOException {
        Path empty = dir.resolve("empty.npy");
        Files.write(empty, new byte[0]);
        Path nan = write("nan.npy", Nd4j.createFromArray(new float[][] {{1, Float.NaN}, {2, 3}}));
        Path few = write("few.npy", Nd4j.rand(DataType.FLOAT, 50, 32));
        String[][] cases = {
            {"feature dimensions differ: real has 32 columns, fake has 33", "kid", "--real", real.toString(), "--fake", wide.toString()},
            {"is not a .npy file", "kid", "--real", empty.toString(), "--fake", fake.toString()},
            {"contains NaN at row 0, column 1; all values must be finite", "kid", "--real", nan.toString(), "--fake", fake.toString()},
            {"fewer than the subset size 1000; lower the subset size to at most 300 (--subset-size 300)",
                "kid", "--real", real.toString(), "--fake", fake.toString()},
            {"the fake set has 50 samples", "kid", "--real", real.toString(), "--fake", few.toString(), "--subset-size", "100"},
            {"no such file", "kid", "--real", dir.resolve("nope.npy").toString(), "--fake", fake.toString()},
            {"subsets must be ≥ 1", "kid", "--real", real.toString(), "--fake", fake.toString(), "--subsets", "0"},
            {"Missing required option: '--fake=F.npy'", "kid", "--real", real.toString()},
            {"Invalid value for option '--subsets'", "kid", "--real", real.toString(), "--fake", fake.toString(), "--subsets", "many"},
            {"Unknown option: '--colour'", "kid", "--real", real.toString(), "--fake", fake.toString(), "--colour"},
            {"unknown kernel 'gauss'; allowed: rbf-mix, rq-mix, rq-mix-dot, laplace, energy, poly, linear, rbf-b",
                "mmd-test", "--x", gauss.toString(), "--y", shifted.toString(), "--kernel", "gauss"},
            {"kernel 'linear' takes no sigmas", "mmd-test", "--x", gauss.toString(), "--y", shifted.toString(),
                "--kernel", "linear", "--sigmas", "1"},
            {"alpha must be in (0, 1)", "mmd-test", "--x", gauss.toString(), "--y", shifted.toString(), "--kernel", "energy",
                "--alpha", "2"},
            {"all three sets must have the same number of samples; got real 400, current 300, previous 400",
                "relative-test", "--real", real.toString(), "--current", fake.toString(), "--previous", real.toString()},
            {"feature dimensions differ: real 32, current 33", "relative-test", "--real", real.toString(), "--current",
                wide.toString(), "--previous", real.toString()},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            Run r = run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().strip()).as(String.join(" ", args)).contains(c[0]).doesNotContain("\n").doesNotContain("\tat ");
        }
    }

    @Test
    void helpAndVersion() {
        assertThat(run("--help").out()).contains("kid", "relative-test", "mmd-test", "bench", "features", "evaluate")
                .contains("up [--foreground]", "status [--json]", "logs NAME", "down", "infra start|stop");
        assertThat(run("kid", "--help").out()).contains("--subset-size", "--block", "--json");
        assertThat(run("--version").exitCode()).isZero();
    }
}
