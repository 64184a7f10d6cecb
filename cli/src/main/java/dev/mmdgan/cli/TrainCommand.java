package dev.mmdgan.cli;

import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.graph.SpectralNorm;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.RunDefaults;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.engine.train.StepResult;
import dev.mmdgan.engine.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train an MMD GAN. Writes DIR/run.properties, DIR/metrics.csv (losses and learning rates per step)",
                "and checkpoints under DIR/checkpoints/. Shows a progress line with losses, steps/s and ETA.",
                "Losses: mmd, mmd-gp, mmd-gp-l2, smmd, smmd-value-and-grad, swgan, mmd-rep, mmd-lambda, mmd-rep-b,",
                "mmd-rbf-b, mmd-rep-gp, mmd-clip."})
final class TrainCommand extends ReportingCommand {

    @Option(names = "--dataset", required = true,
            description = "moons, fashion-mnist, mnist, cifar10 or npy (--data gives the folder or .npy file).")
    String dataset;

    @Option(names = "--data", paramLabel = "PATH",
            description = "Data folder (fashion-mnist: the Debian package's by default; mnist, cifar10) or .npy file.")
    Path data;

    @Option(names = "--arch", required = true, description = "Architecture: mlp-2d, dcgan-28, dcgan-32, dcgan-64.")
    String arch;

    @Option(names = "--loss", defaultValue = "mmd", description = "Loss (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--lambda", defaultValue = "0.5", description = "λ of mmd-lambda (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--kernel", description = "Critic kernel (default: rbf-mix σ=1 for smmd, swgan, mmd-rep-gp; rq-mix otherwise).")
    String kernel;

    @Option(names = "--sigmas", split = ",", paramLabel = "S", description = "Kernel bandwidths.")
    List<Double> sigmas = new ArrayList<>();

    @Option(names = "--alphas", split = ",", paramLabel = "A",
            description = "rq-mix shape parameters (default 0.2,1,5 for mlp-2d, as seed 000).")
    List<Double> alphas = new ArrayList<>();

    @Option(names = "--critic-dim", description = "Critic output dimension s (default: 1 for smmd, swgan, mmd-rep-gp; else 1024 for dcgan-28, 16 otherwise).")
    Integer criticDim;

    @Option(names = "--steps", required = true, description = "Generator steps to train (in total, when resuming).")
    long steps;

    @Option(names = "--batch", description = "Batch size (default: 128 for mlp-2d, as seed 000; 64 for the DCGANs).")
    Integer batch;

    @Option(names = "--n-critic", defaultValue = "5", description = "Critic updates per generator step (default: ${DEFAULT-VALUE}).")
    int nCritic;

    @Option(names = "--lr-g", description = "Generator learning rate (default: 1e-3 for mlp-2d, 1e-4 otherwise).")
    Double lrG;

    @Option(names = "--lr-d", description = "Critic learning rate (default: 1e-3 for mlp-2d, 1e-4 otherwise).")
    Double lrD;

    @Option(names = "--beta1", defaultValue = "0.5", description = "Adam β1 (default: ${DEFAULT-VALUE}).")
    double beta1;

    @Option(names = "--beta2", defaultValue = "0.9", description = "Adam β2 (default: ${DEFAULT-VALUE}).")
    double beta2;

    @Option(names = "--gradient-clip", defaultValue = "0", description = "Per-variable gradient-norm clip, 0 = off.")
    double gradientClip;

    @Option(names = "--spectral-norm", defaultValue = "none",
            description = "Spectral normalization of the critic: none, pim, pico, learned-scale (default: ${DEFAULT-VALUE}).")
    String spectralNorm;

    @Option(names = "--sn-constant", defaultValue = "1.8181818181818181", paramLabel = "C",
            description = "PICO's C in W̄ = C·W/σ (default 1/0.55, the paper's; the authors' scripts use 64^(1/layers)).")
    double snConstant;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint-every", defaultValue = "1000", description = "Checkpoint interval in steps (default: ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder.")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR (or from one checkpoint) up to --steps.")
    Path resume;

    @Override
    JsonReport report() throws IOException {
        MmdGanTrainer trainer;
        RunSpec spec;
        if (resume != null) {
            Path checkpoint = Checkpoints.resolve(resume);
            Checkpoints.Restored restored = Checkpoints.restore(checkpoint);
            trainer = restored.trainer();
            spec = restored.spec().withSteps(steps);
            if (steps <= trainer.completedSteps()) {
                throw new IllegalArgumentException("the checkpoint is at step " + trainer.completedSteps()
                        + "; --steps must be larger to train further");
            }
        } else {
            TrainingConfig training = new TrainingConfig(batch != null ? batch : RunDefaults.batch(arch), nCritic,
                    lrG != null ? lrG : RunDefaults.learningRate(arch), lrD != null ? lrD : RunDefaults.learningRate(arch),
                    beta1, beta2, gradientClip, seed, SpectralNorm.Mode.byName(spectralNorm), snConstant);
            String k = kernel != null ? kernel : RunDefaults.kernel(loss);
            List<Double> s = RunDefaults.sigmas(loss, k, sigmas);
            List<Double> a = RunDefaults.alphas(arch, k, alphas);
            int dim = RunDefaults.criticOutputDim(loss, criticDim);
            spec = new RunSpec(dataset, data, arch, dim, loss, lambda, k, s, a, training, steps, checkpointEvery);
            trainer = spec.newTrainer();
        }
        Files.createDirectories(out);
        try (Writer w = Files.newBufferedWriter(out.resolve("run.properties"))) {
            spec.toProperties().store(w, "mmdgan run");
        }
        Path csv = out.resolve("metrics.csv");
        boolean fresh = trainer.completedSteps() == 0 || !Files.exists(csv);
        Progress progress = new Progress(spec.steps(), trainer.completedSteps());
        Path last = null;
        try (PrintWriter metrics = new PrintWriter(Files.newBufferedWriter(csv, fresh
                ? new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE}
                : new StandardOpenOption[] {StandardOpenOption.APPEND}))) {
            if (fresh) {
                metrics.println("step,critic_loss,generator_loss,lr_generator,lr_critic");
            }
            while (trainer.completedSteps() < spec.steps()) {
                StepResult r = trainer.trainStep();
                metrics.printf("%d,%.8g,%.8g,%.6g,%.6g%n", r.step(), r.criticLoss(), r.generatorLoss(),
                        trainer.generatorOptimizer().learningRate(), trainer.criticOptimizer().learningRate());
                if (spec.checkpointEvery() > 0 && r.step() % spec.checkpointEvery() == 0 && r.step() < spec.steps()) {
                    metrics.flush();
                    last = Checkpoints.save(trainer, spec, out);
                }
                progress.update(r);
            }
        }
        last = Checkpoints.save(trainer, spec, out);
        progress.finish();
        return new JsonReport()
                .put("steps", trainer.completedSteps())
                .put("checkpoint", last.toString())
                .put("metrics", csv.toString())
                .put("seconds", progress.elapsedSeconds());
    }

    /** A one-line progress display on stderr: step, bar, losses, steps/s, ETA. */
    private static final class Progress {
        private final long total;
        private final long start;
        private final long t0 = System.nanoTime();
        private long lastPrint;

        Progress(long total, long start) {
            this.total = total;
            this.start = start;
        }

        void update(StepResult r) {
            long now = System.nanoTime();
            if (now - lastPrint < 250_000_000L && r.step() < total) {
                return;
            }
            lastPrint = now;
            double rate = (r.step() - start) / Math.max(1e-9, (now - t0) / 1e9);
            double eta = (total - r.step()) / Math.max(rate, 1e-9);
            int width = 24;
            int filled = (int) (width * r.step() / total);
            System.err.printf("\rstep %d/%d [%s%s] D %.4f G %.4f | %.1f steps/s | ETA %s   ", r.step(), total,
                    "=".repeat(filled), " ".repeat(width - filled), r.criticLoss(), r.generatorLoss(), rate, duration(eta));
            System.err.flush();
        }

        void finish() {
            System.err.println();
        }

        double elapsedSeconds() {
            return (System.nanoTime() - t0) / 1e9;
        }

        private static String duration(double s) {
            long t = Math.round(s);
            return t >= 3600 ? String.format("%dh%02dm", t / 3600, t / 60 % 60) : String.format("%dm%02ds", t / 60, t % 60);
        }
    }
}
