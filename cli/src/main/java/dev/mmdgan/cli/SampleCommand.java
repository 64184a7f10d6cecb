package dev.mmdgan.cli;

import dev.mmdgan.engine.pictures.ImageGrid;
import dev.mmdgan.engine.pictures.WitnessPlot;
import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.core.mmd.Mmd;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.data.Datasets;
import dev.mmdgan.engine.model.GeneratorModel;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.RunSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.LongStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "sample", mixinStandardHelpOptions = true,
        header = "Generate samples (.png grid or .npy) from a checkpoint, a run folder or a sampler service.",
        description = {"Generate samples from a checkpoint: a local one (or a run folder's newest), or one of a run trained by the",
                "trainer service, from its store (s3://BUCKET/runs/ID/checkpoints/STEP, or --run ID [--step N]).",
                "Only the generator is loaded, so the training data need not be here. Sample i uses noise seeded by SEED + i.",
                "FILE.npy: the raw samples ([n, C, H, W] for images). FILE.png: a grid of images for image data sets;",
                "for 2-D data, generated and real points over a heat map of the critic's witness function, as in",
                "seed 000's figures (without the run's data: the generated points alone)."})
final class SampleCommand extends ReportingCommand {

    @Option(names = "--checkpoint", paramLabel = "DIR|s3://…",
            description = "A checkpoint, a run folder (its newest checkpoint), or s3://BUCKET/runs/ID/checkpoints/STEP.")
    String checkpoint;

    @Option(names = "--remote", paramLabel = "HOST:PORT",
            description = "Ask a sampler service for the samples of --run (its served model, or --step) instead of loading a checkpoint here.")
    String remote;

    @Option(names = "--run", paramLabel = "RUN_ID", description = "A run of the trainer service: its checkpoint in the store.")
    String run;

    @Option(names = "--step", paramLabel = "N", description = "With --run: the checkpoint at step N (default: the newest complete one).")
    Long step;

    @Mixin
    StoreOptions store;

    @Option(names = "--n", defaultValue = "1000", description = "Number of samples (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the first sample's noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--truncation", paramLabel = "PSI", defaultValue = "0",
            description = "Resample noise values outside [-PSI, PSI] from the truncated normal (default: 0, no truncation).")
    double truncation;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output: .npy or .png.")
    Path out;

    @Override
    JsonReport report() throws Exception {
        String name = out.getFileName().toString();
        if (!name.endsWith(".npy") && !name.endsWith(".png")) {
            throw new IllegalArgumentException("--out must end in .npy (raw samples) or .png (picture), got " + name);
        }
        if (n < 1) {
            throw new IllegalArgumentException("--n must be ≥ 1, got " + n);
        }
        if (remote != null) {
            RemoteSample.Result r = RemoteSample.run(remote, run, step, n, seed, truncation, out);
            return new JsonReport().put("remote", remote).put("run", run).put("step", r.model().getCheckpoint().getGeneratorStep())
                    .put("n", n).put("out", out.toString());
        }
        if ((checkpoint == null) == (run == null)) {
            throw new ParameterException(spec.commandLine(), "give either --checkpoint or --run");
        }
        if (step != null && run == null) {
            throw new ParameterException(spec.commandLine(), "--step goes with --run (a --checkpoint names its own step)");
        }
        try (CheckpointSource source = checkpoint != null ? CheckpointSource.of(checkpoint, store) : CheckpointSource.ofRun(run, step, store);
             GeneratorModel model = GeneratorModel.load(source.dir())) {
            INDArray samples = model.generate(LongStream.range(0, n).map(i -> seed + i).toArray(), truncation);
            long[] shape = model.sampleShape();
            if (name.endsWith(".npy")) {
                long[] full = new long[shape.length + 1];
                full[0] = n;
                System.arraycopy(shape, 0, full, 1, shape.length);
                NpyArrays.write(out, samples.reshape(full)); // [n, C, H, W] for images
            } else if (shape.length == 3) {
                ImageGrid.write(out, samples, shape, shape[1] < 48 ? 2 : 1);
            } else {
                drawPoints(source.dir(), samples, model.step());
            }
            return new JsonReport()
                    .put("checkpoint", source.name())
                    .put("step", model.step())
                    .put("n", n)
                    .put("out", out.toString());
        }
    }

    /** 2-D samples over the critic's witness, which needs the run's real data; without it, the samples alone. */
    private void drawPoints(Path dir, INDArray samples, long trainedSteps) throws IOException {
        if (samples.columns() != 2) {
            throw new IllegalArgumentException("PNG output needs 2-D points or images; these samples have "
                    + samples.columns() + " values each; use .npy");
        }
        String title = "step " + trainedSteps;
        RunSpec runSpec = RunSpec.fromProperties(Checkpoints.metadata(dir));
        if (!Datasets.available(runSpec.dataset(), runSpec.dataPath())) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": the run's data (" + runSpec.dataset()
                    + (runSpec.dataPath() == null ? "" : " " + runSpec.dataPath()) + ") is not here: drawing the samples without"
                    + " the critic's witness");
            WitnessPlot.write(out, null, samples, null, title);
            return;
        }
        Checkpoints.Restored restored = Checkpoints.restore(dir);
        MmdGanTrainer trainer = restored.trainer();
        INDArray real = trainer.data().holdout();
        var kernel = restored.spec().buildKernel();
        INDArray fx = trainer.criticFeatures(real);
        INDArray fy = trainer.criticFeatures(samples);
        WitnessPlot.write(out, real, samples, grid -> Mmd.witness(kernel, fx, fy, trainer.criticFeatures(grid)), title);
    }
}
