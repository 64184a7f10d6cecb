package dev.mmdgan.cli;

import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.core.mmd.Mmd;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.train.MmdGanTrainer;
import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Generate samples from a checkpoint (or a run folder's latest checkpoint).",
                "FILE.npy: the raw samples ([n, C, H, W] for images). FILE.png: a grid of images for image data sets;",
                "for 2-D data, generated and real points over a heat map of the critic's witness function, as in",
                "seed 000's figures."})
final class SampleCommand extends ReportingCommand {

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "A checkpoint or a run folder.")
    Path checkpoint;

    @Option(names = "--n", defaultValue = "1000", description = "Number of samples (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output: .npy or .png.")
    Path out;

    @Override
    JsonReport report() throws IOException {
        String name = out.getFileName().toString();
        if (!name.endsWith(".npy") && !name.endsWith(".png")) {
            throw new IllegalArgumentException("--out must end in .npy (raw samples) or .png (picture), got " + name);
        }
        if (n < 1) {
            throw new IllegalArgumentException("--n must be ≥ 1, got " + n);
        }
        Path dir = Checkpoints.resolve(checkpoint);
        Checkpoints.Restored restored = Checkpoints.restore(dir);
        MmdGanTrainer trainer = restored.trainer();
        INDArray samples = trainer.generate(n, seed);
        long[] shape = trainer.data().sampleShape();
        if (name.endsWith(".npy")) {
            long[] full = new long[shape.length + 1];
            full[0] = n;
            System.arraycopy(shape, 0, full, 1, shape.length);
            NpyArrays.write(out, samples.reshape(full)); // [n, C, H, W] for images
        } else if (shape.length == 3) {
            ImageGrid.write(out, samples, shape, shape[1] < 48 ? 2 : 1);
        } else {
            if (samples.columns() != 2) {
                throw new IllegalArgumentException("PNG output needs 2-D points or images; these samples have "
                        + samples.columns() + " values each; use .npy");
            }
            INDArray real = trainer.data().holdout();
            var kernel = restored.spec().buildKernel();
            INDArray fx = trainer.criticFeatures(real);
            INDArray fy = trainer.criticFeatures(samples);
            WitnessPlot.write(out, real, samples, grid -> Mmd.witness(kernel, fx, fy, trainer.criticFeatures(grid)),
                    "step " + trainer.completedSteps());
        }
        return new JsonReport()
                .put("checkpoint", dir.toString())
                .put("step", trainer.completedSteps())
                .put("n", n)
                .put("out", out.toString());
    }
}
