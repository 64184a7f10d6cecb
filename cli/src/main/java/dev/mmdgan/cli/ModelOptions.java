package dev.mmdgan.cli;

import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.kernel.Kernels;
import dev.mmdgan.engine.train.RunDefaults;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The architecture, kernel and batch options (a picocli mixin) of every command that builds a trainer: {@code train}
 * and {@code runs start} through {@link TrainingOptions}, and {@code bench train}. Unset options are null or empty:
 * the accessors fill in the {@link RunDefaults}, {@code runs start} leaves them to the trainer, which has the same.
 */
final class ModelOptions {

    @Option(names = "--arch", required = true, description = "Architecture: mlp-2d, dcgan-28, dcgan-32, dcgan-64.")
    String arch;

    @Option(names = "--kernel", description = "Critic kernel (default: rbf-mix σ=1 for smmd, swgan, mmd-rep-gp; rq-mix otherwise).")
    String kernel;

    @Option(names = "--sigmas", split = ",", paramLabel = "S",
            description = "Kernel bandwidths (default 1 for rbf-mix under smmd, swgan, mmd-rep-gp; else the kernel's own).")
    List<Double> sigmas = new ArrayList<>();

    @Option(names = "--alphas", split = ",", paramLabel = "A",
            description = "rq-mix shape parameters (default 0.2,1,5 for mlp-2d, as seed 000; else the kernel's own).")
    List<Double> alphas = new ArrayList<>();

    @Option(names = "--critic-dim",
            description = "Critic output dimension s (default: 1 for smmd, swgan, mmd-rep-gp; else 1024 for dcgan-28, 16 otherwise).")
    Integer criticDim;

    @Option(names = "--batch", description = "Batch size (default: " + RunDefaults.TOY_BATCH + " for mlp-2d, as seed 000; "
            + RunDefaults.BATCH + " for the DCGANs).")
    Integer batch;

    int batch() {
        return batch != null ? batch : RunDefaults.batch(arch);
    }

    int criticDim(String loss) {
        return RunDefaults.criticOutputDim(loss, criticDim);
    }

    String kernelName(String loss) {
        return kernel != null ? kernel : RunDefaults.kernel(loss);
    }

    List<Double> sigmas(String loss) {
        return RunDefaults.sigmas(loss, kernelName(loss), sigmas);
    }

    List<Double> alphas(String loss) {
        return RunDefaults.alphas(arch, kernelName(loss), alphas);
    }

    Kernel buildKernel(String loss) {
        return Kernels.byName(kernelName(loss), sigmas(loss), alphas(loss));
    }
}
