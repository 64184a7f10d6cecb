package dev.mmdgan.cli;

import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.kid.KidReference;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * KID speed on random features:
 * <ul>
 *   <li>one_shot_s — wall time of a fresh {@code mmdgan kid} process (JVM start, reading both .npy files, KID);</li>
 *   <li>repeated_eval_s — one more evaluation against an already prepared real set, in this process.</li>
 * </ul>
 * Each is the median of {@code --repeats} runs. With {@code --numpy}, the plain numpy computation in
 * {@code bench/kid_numpy.py} runs on the same files for comparison.
 */
@Command(name = "kid", mixinStandardHelpOptions = true, description = "Benchmark KID (one-shot and repeated evaluation).")
final class BenchKidCommand extends ReportingCommand {

    @Option(names = "--n", defaultValue = "10000", description = "Rows per set (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--dim", defaultValue = "2048", description = "Feature dimension (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--subsets", defaultValue = "100", description = "Subsets (default: ${DEFAULT-VALUE}).")
    int subsets;

    @Option(names = "--subset-size", defaultValue = "1000", description = "Rows per subset (default: ${DEFAULT-VALUE}).")
    int subsetSize;

    @Option(names = "--repeats", defaultValue = "3", description = "Measured runs of each figure; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--numpy", description = "Also time bench/kid_numpy.py (needs python3 with numpy).")
    boolean numpy;

    @Option(names = "--out", defaultValue = "bench-results/bench-kid.json", description = "Where to write the figures (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    JsonReport report() throws Exception {
        if (n < 2 || dim < 1 || repeats < 1) {
            throw new IllegalArgumentException("--n must be ≥ 2, --dim ≥ 1 and --repeats ≥ 1");
        }
        KidConfig config = KidConfig.defaults().withSubsets(subsets, subsetSize);
        Path dir = Files.createTempDirectory("mmdgan-bench-kid");
        try {
            Nd4j.getRandom().setSeed(1234);
            INDArray real = Nd4j.rand(DataType.FLOAT, n, dim);
            INDArray fake = Nd4j.rand(DataType.FLOAT, n, dim).muli(1.05);
            Path realFile = dir.resolve("real.npy");
            Path fakeFile = dir.resolve("fake.npy");
            NpyArrays.write(realFile, real);
            NpyArrays.write(fakeFile, fake);

            progress("one-shot: %d fresh 'mmdgan kid' processes on %d + %d features of dim %d", repeats, n, n, dim);
            double[] oneShot = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                oneShot[i] = timeProcess(selfCommand("kid", "--real", realFile.toString(), "--fake", fakeFile.toString(),
                        "--subsets", "" + subsets, "--subset-size", "" + subsetSize, "--json"));
                progress("  run %d: %.2f s", i + 1, oneShot[i]);
            }

            progress("repeated evaluation against a prepared real set (%d runs)", repeats);
            KidReference reference = KidReference.prepare(real, config);
            reference.evaluate(fake); // warm-up
            double[] repeated = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                INDArray nextFake = Nd4j.rand(DataType.FLOAT, n, dim).muli(1.05);
                long t = System.nanoTime();
                reference.evaluate(nextFake);
                repeated[i] = (System.nanoTime() - t) / 1e9;
                progress("  run %d: %.2f s", i + 1, repeated[i]);
            }

            JsonReport report = new JsonReport()
                    .put("one_shot_s", Benchmarks.median(oneShot))
                    .put("repeated_eval_s", Benchmarks.median(repeated))
                    .put("n", n)
                    .put("dim", dim)
                    .put("subsets", subsets)
                    .put("subset_size", subsetSize);
            if (numpy) {
                double[] numpyTimes = new double[repeats];
                Path script = home().resolve("bench/kid_numpy.py");
                for (int i = 0; i < repeats; i++) {
                    numpyTimes[i] = timeProcess(List.of("python3", script.toString(), realFile.toString(), fakeFile.toString(),
                            "" + subsets, "" + subsetSize));
                    progress("  numpy run %d: %.2f s", i + 1, numpyTimes[i]);
                }
                double numpyMedian = Benchmarks.median(numpyTimes);
                report.put("numpy_one_shot_s", numpyMedian)
                        .put("speedup_one_shot", numpyMedian / Benchmarks.median(oneShot))
                        .put("speedup_repeated", numpyMedian / Benchmarks.median(repeated));
            }
            report.put("cpu_cores", Runtime.getRuntime().availableProcessors());
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            Files.writeString(out, report.toJson() + System.lineSeparator());
            progress("figures written to %s", out);
            return report;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The command that starts this CLI afresh, with this JVM's options and class path. */
    private static List<String> selfCommand(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent"))
                .forEach(cmd::add);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MmdganCommand.class.getName());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    private static double timeProcess(List<String> command) throws IOException, InterruptedException {
        long t = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("benchmark command failed: " + String.join(" ", command) + "\n" + output);
        }
        return (System.nanoTime() - t) / 1e9;
    }

    private static Path home() {
        return Path.of(System.getProperty("mmdgan.home", "."));
    }

    private static void progress(String format, Object... args) {
        System.err.printf(format + "%n", args);
    }
}
