package dev.mmdgan.cli;

import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.train.MmdGanTrainer;
import dev.mmdgan.engine.train.RunSpec;
import dev.mmdgan.engine.train.StepResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Train an MMD GAN on this machine: a run folder with checkpoints, metrics and sample grids.",
        description = {"Train an MMD GAN. Writes DIR/run.properties, DIR/metrics.csv (losses and learning rates per step)",
                "and checkpoints under DIR/checkpoints/. Shows a progress line with losses, steps/s and ETA.",
                "Losses: mmd, mmd-gp, mmd-gp-l2, smmd, smmd-value-and-grad, swgan, mmd-rep, mmd-lambda, mmd-rep-b,",
                "mmd-rbf-b, mmd-rep-gp, mmd-clip."})
final class TrainCommand extends ReportingCommand {

    @Mixin
    TrainingOptions options;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder.")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR (or from one checkpoint) up to --steps.")
    Path resume;

    @Option(names = "--time-limit", paramLabel = "DURATION", converter = Durations.class,
            description = "End after the step during which this much training time has passed (e.g. 30m, 1h), "
                    + "with a checkpoint as at the end; --steps stays the upper bound.")
    Duration timeLimit;

    @Override
    JsonReport report() throws IOException {
        MmdGanTrainer trainer;
        RunSpec spec;
        if (resume != null) {
            Path checkpoint = Checkpoints.resolve(resume);
            Checkpoints.Restored restored = Checkpoints.restore(checkpoint);
            trainer = restored.trainer();
            spec = restored.spec().withSteps(options.steps);
            if (options.steps <= trainer.completedSteps()) {
                throw new IllegalArgumentException("the checkpoint is at step " + trainer.completedSteps()
                        + "; --steps must be larger to train further");
            }
        } else {
            spec = options.toRunSpec();
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
            boolean ending = trainer.completedSteps() >= spec.steps();
            while (!ending) {
                StepResult r = trainer.trainStep();
                metrics.printf("%d,%.8g,%.8g,%.6g,%.6g%n", r.step(), r.criticLoss(), r.generatorLoss(),
                        trainer.generatorOptimizer().learningRate(), trainer.criticOptimizer().learningRate());
                ending = r.step() >= spec.steps() || progress.past(timeLimit);
                if (spec.checkpointEvery() > 0 && r.step() % spec.checkpointEvery() == 0 && !ending) {
                    metrics.flush();
                    last = Checkpoints.save(trainer, spec, out);
                }
                progress.update(r, ending);
            }
        }
        last = Checkpoints.save(trainer, spec, out);
        progress.finish();
        return new JsonReport()
                .put("steps", trainer.completedSteps())
                .put("ended_by", trainer.completedSteps() < spec.steps() ? "time-limit" : "steps")
                .put("checkpoint", last.toString())
                .put("metrics", csv.toString())
                .put("seconds", progress.elapsedSeconds());
    }

    /** Progress on stderr ({@link ProgressBar}): step, bar, losses, steps/s, ETA. */
    private static final class Progress {
        private final long total;
        private final long start;
        private final long t0 = System.nanoTime();
        private final ProgressBar bar = ProgressBar.onStderr();

        Progress(long total, long start) {
            this.total = total;
            this.start = start;
        }

        void update(StepResult r, boolean ending) {
            if (!bar.due(ending)) {
                return;
            }
            double rate = (r.step() - start) / Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
            double eta = (total - r.step()) / Math.max(rate, 1e-9);
            bar.show(String.format("step %d/%d %s D %.4f G %.4f | %.1f steps/s | ETA %s", r.step(), total,
                    ProgressBar.bar(r.step(), total), r.criticLoss(), r.generatorLoss(), rate, duration(eta)));
        }

        void finish() {
            bar.finish();
        }

        /** Whether training has run for at least {@code limit} (never, without one). */
        boolean past(Duration limit) {
            return limit != null && System.nanoTime() - t0 >= limit.toNanos();
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
