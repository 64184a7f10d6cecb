package dev.mmdgan.cli;

import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.core.kernel.PolynomialKernel;
import dev.mmdgan.core.kid.KidBlocks;
import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.kid.KidReference;
import dev.mmdgan.core.kid.KidResult;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "kid", mixinStandardHelpOptions = true,
        description = {"Kernel Inception Distance between real and generated features (.npy, 2-D, float32/float64).",
                "Unbiased MMD² with the cubic polynomial kernel, averaged over random subsets drawn without",
                "replacement (or TF-GAN's contiguous blocks with --block). Slightly negative values are valid."})
final class KidCommand extends ReportingCommand {

    @Option(names = "--real", required = true, paramLabel = "R.npy", description = "Real features [n, d].")
    Path real;

    @Option(names = "--fake", required = true, paramLabel = "F.npy", description = "Generated features [n, d].")
    Path fake;

    @Option(names = "--subsets", defaultValue = "100", description = "Number of subsets (default: ${DEFAULT-VALUE}).")
    int subsets;

    @Option(names = "--subset-size", paramLabel = "N",
            description = "Rows per subset (default 1000), or the largest block size with --block (default 1024).")
    Integer subsetSize;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the subset draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--block", description = "Use the block estimator (contiguous blocks; inputs must be shuffled).")
    boolean block;

    private static INDArray join(CompletableFuture<INDArray> pending) {
        try {
            return pending.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    @Override
    JsonReport report() {
        INDArray r = NpyArrays.readMatrix(real);
        KidResult kid;
        if (block) {
            kid = KidBlocks.kid(r, NpyArrays.readMatrix(fake),
                    subsetSize == null ? KidBlocks.DEFAULT_MAX_BLOCK_SIZE : subsetSize, PolynomialKernel.KID);
        } else {
            KidConfig config = new KidConfig(subsets, subsetSize == null ? KidConfig.DEFAULT_SUBSET_SIZE : subsetSize,
                    seed, PolynomialKernel.KID);
            // Check the fake file's shape now, then read it while the real side is being prepared.
            KidReference.checkShapes(r.shape(), NpyArrays.shape(fake), config);
            CompletableFuture<INDArray> f = CompletableFuture.supplyAsync(() -> NpyArrays.readMatrix(fake));
            KidReference reference = KidReference.prepare(r, config);
            kid = reference.evaluate(join(f));
        }
        return new JsonReport()
                .put("kid_mean", kid.mean())
                .put("kid_std", kid.std())
                .put("kid_stderr", kid.stderr())
                .put("subsets", kid.subsets())
                .put("subset_size", kid.subsetSize())
                .put("feature_dim", kid.featureDim())
                .put("n_real", kid.nReal())
                .put("n_fake", kid.nFake());
    }
}
