package dev.mmdgan.cli;

import dev.mmdgan.api.v1.ArchitectureSpec;
import dev.mmdgan.api.v1.DatasetSpec;
import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.KernelSpec;
import dev.mmdgan.api.v1.ListRunsRequest;
import dev.mmdgan.api.v1.LossSpec;
import dev.mmdgan.api.v1.OptimizerSpec;
import dev.mmdgan.api.v1.RegularizerSpec;
import dev.mmdgan.api.v1.ResumeRunRequest;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.SpectralNorm;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.StopRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.api.v1.WatchRunRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mmdgan runs ...}: the trainer service's client. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Start, list, inspect, stop, resume and watch runs on a trainer service (gRPC).",
        subcommands = {RunsCommand.Start.class, RunsCommand.ListRuns.class, RunsCommand.Get.class, RunsCommand.Stop.class,
                RunsCommand.Resume.class, RunsCommand.Watch.class})
final class RunsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the trainer is, and the bearer token for mutating calls. */
    static final class Connection {
        @Option(names = "--trainer", paramLabel = "HOST:PORT", description = "Trainer address (default: $MMDGAN_TRAINER or 127.0.0.1:8080).")
        String trainer = System.getenv().getOrDefault("MMDGAN_TRAINER", "127.0.0.1:8080");

        @Option(names = "--token", description = "Bearer token (default: $MMDGAN_TRAINER_TOKEN).")
        String token = System.getenv("MMDGAN_TRAINER_TOKEN");

        <T> T call(java.util.function.Function<TrainerServiceGrpc.TrainerServiceBlockingStub, T> body) {
            int colon = trainer.lastIndexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("--trainer must be HOST:PORT, got " + trainer);
            }
            ManagedChannel channel = ManagedChannelBuilder.forAddress(trainer.substring(0, colon),
                    Integer.parseInt(trainer.substring(colon + 1))).usePlaintext().build();
            try {
                var stub = TrainerServiceGrpc.newBlockingStub(channel);
                if (token != null && !token.isBlank()) {
                    Metadata headers = new Metadata();
                    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
                    stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
                }
                return body.apply(stub);
            } finally {
                channel.shutdownNow();
                try {
                    channel.awaitTermination(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    static JsonReport describe(Run r) {
        return new JsonReport().put("run_id", r.getRunId()).put("state", state(r.getState().name()))
                .put("step", r.getGeneratorStep()).put("steps", r.getConfig().getSteps())
                .put("lr_generator", r.getLrGenerator()).put("lr_critic", r.getLrCritic()).put("lr_decays", (long) r.getLrDecays())
                .put("critic_loss", r.getLastLosses().getCriticLoss()).put("generator_loss", r.getLastLosses().getGeneratorLoss())
                .put("last_checkpoint", r.getLastCheckpoint().getUri()).put("failure", r.getFailureMessage());
    }

    private static String state(String enumName) {
        return enumName.replace("RUN_STATE_", "").toLowerCase(Locale.ROOT);
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a run (flags as in 'mmdgan train'; unset = the trainer's defaults).")
    static final class Start extends ReportingCommand {
        @Mixin
        Connection connection;

        @Option(names = "--dataset", required = true, description = "Data set on the trainer's side.")
        String dataset;

        @Option(names = "--data", paramLabel = "PATH", description = "File or folder on the trainer's side.")
        String data;

        @Option(names = "--arch", required = true, description = "Architecture.")
        String arch;

        @Option(names = "--loss", description = "Loss.")
        String loss;

        @Option(names = "--kernel", description = "Kernel.")
        String kernel;

        @Option(names = "--sigmas", split = ",", description = "Kernel bandwidths.")
        List<Double> sigmas = List.of();

        @Option(names = "--alphas", split = ",", description = "rq-mix shape parameters.")
        List<Double> alphas = List.of();

        @Option(names = "--critic-dim", description = "Critic output dimension.")
        Integer criticDim;

        @Option(names = "--steps", required = true, description = "Generator steps.")
        long steps;

        @Option(names = "--batch", description = "Batch size.")
        Integer batch;

        @Option(names = "--n-critic", description = "Critic updates per generator step.")
        Integer nCritic;

        @Option(names = "--lr-g", description = "Generator learning rate.")
        Double lrG;

        @Option(names = "--lr-d", description = "Critic learning rate.")
        Double lrD;

        @Option(names = "--spectral-norm", description = "none, pim, pico, learned-scale.")
        String spectralNorm;

        @Option(names = "--seed", description = "Seed.")
        Long seed;

        @Option(names = "--checkpoint-every", description = "Checkpoint interval in steps.")
        Long checkpointEvery;

        @Option(names = "--metrics-every", description = "Metrics interval in steps.")
        Long metricsEvery;

        @Override
        JsonReport report() {
            RunConfig.Builder c = RunConfig.newBuilder().setSteps(steps)
                    .setDataset(DatasetSpec.newBuilder().setName(dataset).setPath(data == null ? "" : data))
                    .setArchitecture(criticDim == null ? ArchitectureSpec.newBuilder().setName(arch)
                            : ArchitectureSpec.newBuilder().setName(arch).setCriticOutputDim(criticDim));
            if (loss != null) {
                c.setLoss(LossSpec.newBuilder().setName(loss));
            }
            if (kernel != null || !sigmas.isEmpty() || !alphas.isEmpty()) {
                c.setKernel(KernelSpec.newBuilder().setName(kernel == null ? "" : kernel).addAllSigmas(sigmas).addAllAlphas(alphas));
            }
            OptimizerSpec.Builder o = OptimizerSpec.newBuilder();
            if (lrG != null) {
                o.setLrGenerator(lrG);
            }
            if (lrD != null) {
                o.setLrCritic(lrD);
            }
            c.setOptimizer(o);
            if (spectralNorm != null) {
                c.setRegularizers(RegularizerSpec.newBuilder().setSpectralNorm(spectralNorm(spectralNorm)));
            }
            if (batch != null) {
                c.setBatchSize(batch);
            }
            if (nCritic != null) {
                c.setNCritic(nCritic);
            }
            if (seed != null) {
                c.setSeed(seed);
            }
            if (checkpointEvery != null) {
                c.setCheckpointEvery(checkpointEvery);
            }
            if (metricsEvery != null) {
                c.setMetricsEvery(metricsEvery);
            }
            return describe(connection.call(t -> t.startRun(StartRunRequest.newBuilder().setConfig(c).build())));
        }

        private static SpectralNorm spectralNorm(String name) {
            return switch (name) {
                case "none" -> SpectralNorm.SPECTRAL_NORM_NONE;
                case "pim" -> SpectralNorm.SPECTRAL_NORM_PIM;
                case "pico" -> SpectralNorm.SPECTRAL_NORM_PICO;
                case "learned-scale" -> SpectralNorm.SPECTRAL_NORM_LEARNED_SCALE;
                default -> throw new IllegalArgumentException("unknown spectral norm '" + name + "'; allowed: none, pim, pico, learned-scale");
            };
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List runs: id, state, step, learning rates.")
    static final class ListRuns implements Callable<Integer> {
        @Mixin
        Connection connection;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            List<Run> runs = connection.call(t -> t.listRuns(ListRunsRequest.getDefaultInstance()).getRunsList());
            out.printf("%-36s  %-9s  %15s  %10s  %10s%n", "RUN", "STATE", "STEP", "LR_G", "LR_D");
            for (Run r : runs) {
                out.printf("%-36s  %-9s  %7d/%-7d  %10.3g  %10.3g%n", r.getRunId(), state(r.getState().name()), r.getGeneratorStep(),
                        r.getConfig().getSteps(), r.getLrGenerator(), r.getLrCritic());
            }
            out.flush();
            return 0;
        }
    }

    /** A call about one run that answers with the run. */
    abstract static class OneRun extends ReportingCommand {
        @Mixin
        Connection connection;

        @Parameters(paramLabel = "RUN_ID")
        String runId;

        abstract Run call(TrainerServiceGrpc.TrainerServiceBlockingStub trainer);

        @Override
        JsonReport report() {
            return describe(connection.call(this::call));
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "One run's state.")
    static final class Get extends OneRun {
        @Override
        Run call(TrainerServiceGrpc.TrainerServiceBlockingStub trainer) {
            return trainer.getRun(GetRunRequest.newBuilder().setRunId(runId).build());
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a run after its current step, with a final checkpoint.")
    static final class Stop extends OneRun {
        @Override
        Run call(TrainerServiceGrpc.TrainerServiceBlockingStub trainer) {
            return trainer.stopRun(StopRunRequest.newBuilder().setRunId(runId).build());
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a run from its latest stored checkpoint.")
    static final class Resume extends OneRun {
        @Option(names = "--steps", description = "Train up to this many steps in total (default: the run's).")
        Long steps;

        @Override
        Run call(TrainerServiceGrpc.TrainerServiceBlockingStub trainer) {
            ResumeRunRequest.Builder r = ResumeRunRequest.newBuilder().setRunId(runId);
            if (steps != null) {
                r.setSteps(steps);
            }
            return trainer.resumeRun(r.build());
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true, description = "Follow a run with a live progress line until it ends.")
    static final class Watch implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Parameters(paramLabel = "RUN_ID")
        String runId;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var err = spec.commandLine().getErr();
            Run last = connection.call(t -> {
                Run run = t.getRun(GetRunRequest.newBuilder().setRunId(runId).build());
                long total = run.getConfig().getSteps();
                Iterator<TrainingMetrics> stream = t.watchRun(WatchRunRequest.newBuilder().setRunId(runId).build());
                while (stream.hasNext()) {
                    TrainingMetrics m = stream.next();
                    int filled = (int) (24 * Math.min(1.0, m.getGeneratorStep() / (double) Math.max(1, total)));
                    err.printf("\rstep %d/%d [%s%s] D %.4f G %.4f | lr %.3g | %.1f steps/s | ETA %ds   ", m.getGeneratorStep(), total,
                            "=".repeat(filled), " ".repeat(24 - filled), m.getLosses().getCriticLoss(), m.getLosses().getGeneratorLoss(),
                            m.getLrGenerator(), m.getStepsPerSecond(), Math.round(m.getEtaSeconds()));
                    err.flush();
                }
                return t.getRun(GetRunRequest.newBuilder().setRunId(runId).build());
            });
            err.println();
            spec.commandLine().getOut().println(describe(last).render(false));
            return 0;
        }
    }
}
