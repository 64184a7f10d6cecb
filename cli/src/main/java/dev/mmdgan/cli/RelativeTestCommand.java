package dev.mmdgan.cli;

import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.core.relative.RelativeSimilarityTest;
import dev.mmdgan.core.relative.RelativeTestResult;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "relative-test", mixinStandardHelpOptions = true,
        description = {"Relative similarity test on features: is CURRENT closer to REAL than PREVIOUS is?",
                "diff = MMD²(real, current) − MMD²(real, previous) with the KID kernel; p = Φ(diff/√var), one-sided.",
                "A small p means the current sample is significantly closer. All three sets must have equal size."})
final class RelativeTestCommand extends ReportingCommand {

    @Option(names = "--real", required = true, paramLabel = "X.npy", description = "Real features [m, d].")
    Path real;

    @Option(names = "--current", required = true, paramLabel = "Y.npy", description = "Current generated features [m, d].")
    Path current;

    @Option(names = "--previous", required = true, paramLabel = "Z.npy", description = "Earlier generated features [m, d].")
    Path previous;

    @Override
    JsonReport report() {
        INDArray x = NpyArrays.readMatrix(real);
        INDArray y = NpyArrays.readMatrix(current);
        INDArray z = NpyArrays.readMatrix(previous);
        if (x.rows() != y.rows() || x.rows() != z.rows()) {
            throw new IllegalArgumentException("all three sets must have the same number of samples; got real "
                    + x.rows() + ", current " + y.rows() + ", previous " + z.rows());
        }
        if (x.rows() < 3) {
            throw new IllegalArgumentException("the relative test needs at least 3 samples per set, got " + x.rows());
        }
        if (x.columns() != y.columns() || x.columns() != z.columns()) {
            throw new IllegalArgumentException("feature dimensions differ: real " + x.columns() + ", current "
                    + y.columns() + ", previous " + z.columns() + "; all must come from the same feature network");
        }
        RelativeTestResult t = RelativeSimilarityTest.test(x, y, z);
        return new JsonReport()
                .put("diff", t.diff())
                .put("variance", t.variance())
                .put("ratio", t.ratio())
                .put("p_value", t.pValue());
    }
}
