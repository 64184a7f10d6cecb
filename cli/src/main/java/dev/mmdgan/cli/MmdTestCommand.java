package dev.mmdgan.cli;

import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.kernel.Kernels;
import dev.mmdgan.core.twosample.PermutationTest;
import dev.mmdgan.core.twosample.PermutationTestResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "mmd-test", mixinStandardHelpOptions = true,
        description = {"MMD permutation two-sample test: do A and B come from the same distribution?",
                "Statistic: unbiased MMD²; p = (1 + #{permuted ≥ observed}) / (1 + permutations).",
                "Kernels: " + "rbf-mix, rq-mix, rq-mix-dot, laplace, energy, poly, linear, rbf-b."})
final class MmdTestCommand extends ReportingCommand {

    @Option(names = "--x", required = true, paramLabel = "A.npy", description = "First sample [m, d].")
    Path x;

    @Option(names = "--y", required = true, paramLabel = "B.npy", description = "Second sample [n, d].")
    Path y;

    @Option(names = "--kernel", required = true, paramLabel = "NAME", description = "Kernel name (see above).")
    String kernel;

    @Option(names = "--sigmas", split = ",", arity = "1..*", paramLabel = "S",
            description = "Bandwidths for rbf-mix, laplace, rbf-b (comma- or space-separated).")
    List<Double> sigmas = new ArrayList<>();

    @Option(names = "--alphas", split = ",", arity = "1..*", paramLabel = "A",
            description = "Shape parameters for rq-mix, rq-mix-dot.")
    List<Double> alphas = new ArrayList<>();

    @Option(names = "--permutations", defaultValue = "500", description = "Random permutations (default: ${DEFAULT-VALUE}).")
    int permutations;

    @Option(names = "--alpha", defaultValue = "0.05", description = "Significance level (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the permutations (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    JsonReport report() {
        Kernel k = Kernels.byName(kernel, sigmas, alphas);
        PermutationTest test = new PermutationTest(k, permutations, alpha);
        PermutationTestResult r = test.test(NpyArrays.readMatrix(x), NpyArrays.readMatrix(y), seed);
        return new JsonReport()
                .put("mmd2", r.mmd2())
                .put("p_value", r.pValue())
                .put("reject", r.reject())
                .put("permutations", r.permutations());
    }
}
