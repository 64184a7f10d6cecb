package dev.mmdgan.cli;

import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.ListRunsRequest;
import dev.mmdgan.api.v1.ListRunsResponse;
import dev.mmdgan.api.v1.ResumeRunRequest;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.StopRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import dev.mmdgan.api.v1.TrainingMetrics;
import dev.mmdgan.api.v1.WatchRunRequest;
import dev.mmdgan.engine.train.RunDefaults;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mmdgan runs ...}: the trainer service's client. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        header = "Start, list, inspect, stop, resume and watch runs on a trainer service (gRPC).",
        description = {"Start, list, inspect, stop, resume and watch runs on a trainer service (gRPC);",
                "download their checkpoints from the service's store (S3)."},
        subcommands = {RunsCommand.Start.class, RunsCommand.ListRuns.class, RunsCommand.Get.class, RunsCommand.Stop.class,
                RunsCommand.Resume.class, RunsCommand.Watch.class, RunsDownloadCommand.class})
final class RunsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
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
        TrainerConnection connection;

        @Mixin
        TrainingOptions options;

        @Option(names = "--metrics-every", description = "Metrics interval in steps (default: the trainer's, "
                + RunDefaults.METRICS_EVERY + " unless its operator set another).")
        Long metricsEvery;

        /** The StartRun config: the options that were set, nothing else. */
        RunConfig config() {
            RunConfig.Builder c = options.toRunConfig();
            if (metricsEvery != null) {
                c.setMetricsEvery(metricsEvery);
            }
            return c.build();
        }

        @Override
        JsonReport report() {
            return describe(connection.unary(t -> t.startRun(StartRunRequest.newBuilder().setConfig(config()).build())));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List runs: id, state, step, learning rates. Fetches every page, unless --page-size or --page-token "
                    + "asks for one.")
    static final class ListRuns implements Callable<Integer> {
        static final int MAX_PAGE_SIZE = 500;
        /** Guards against a trainer that never stops handing out page tokens. */
        static final int MAX_PAGES = 10_000;

        @Mixin
        TrainerConnection connection;

        @Option(names = "--page-size", paramLabel = "N",
                description = "Fetch one page of at most N runs, 1.." + MAX_PAGE_SIZE + " (default: the trainer's, 50).")
        Integer pageSize;

        @Option(names = "--page-token", paramLabel = "TOKEN",
                description = "Fetch the one page that starts here (a previous page's next_page_token).")
        String pageToken;

        @Option(names = "--json", description = "Print one JSON object: runs (as 'get --json' prints them) and next_page_token "
                + "(empty when there are no more).")
        boolean json;

        @Spec
        CommandSpec spec;

        private record Page(List<Run> runs, String nextPageToken) {
        }

        @Override
        public Integer call() {
            if (pageSize != null && (pageSize < 1 || pageSize > MAX_PAGE_SIZE)) {
                throw new ParameterException(spec.commandLine(), "--page-size must be in 1.." + MAX_PAGE_SIZE + ", got " + pageSize);
            }
            boolean onePage = pageSize != null || pageToken != null;
            Page page = connection.call(trainer -> onePage ? fetch(trainer, pageToken == null ? "" : pageToken) : fetchAll(trainer));
            print(page);
            return 0;
        }

        private Page fetch(TrainerConnection.Session trainer, String token) {
            ListRunsRequest.Builder request = ListRunsRequest.newBuilder().setPageToken(token);
            if (pageSize != null) {
                request.setPageSize(pageSize);
            }
            ListRunsResponse response = trainer.unary().listRuns(request.build());
            return new Page(response.getRunsList(), response.getNextPageToken());
        }

        private Page fetchAll(TrainerConnection.Session trainer) {
            List<Run> runs = new ArrayList<>();
            String token = "";
            for (int pages = 0; pages < MAX_PAGES; pages++) {
                Page page = fetch(trainer, token);
                runs.addAll(page.runs());
                token = page.nextPageToken();
                if (token.isEmpty()) {
                    return new Page(runs, "");
                }
            }
            throw new CliErrors.Failure("the trainer at " + connection.trainer + " still had more runs after " + MAX_PAGES
                    + " pages; fetch them a page at a time with --page-size and --page-token");
        }

        private void print(Page page) {
            var out = spec.commandLine().getOut();
            if (json) {
                out.println(new JsonReport().put("runs", page.runs().stream().map(RunsCommand::describe).toList())
                        .put("next_page_token", page.nextPageToken()).toJson());
            } else {
                out.printf("%-36s  %-9s  %15s  %10s  %10s%n", "RUN", "STATE", "STEP", "LR_G", "LR_D");
                for (Run r : page.runs()) {
                    out.printf("%-36s  %-9s  %7d/%-7d  %10.3g  %10.3g%n", r.getRunId(), state(r.getState().name()), r.getGeneratorStep(),
                            r.getConfig().getSteps(), r.getLrGenerator(), r.getLrCritic());
                }
                if (!page.nextPageToken().isEmpty()) {
                    // stdout stays one table; the way to the next page goes to stderr.
                    spec.commandLine().getErr().println("more runs: --page-token " + page.nextPageToken());
                }
            }
            out.flush();
        }
    }

    /** A call about one run that answers with the run. */
    abstract static class OneRun extends ReportingCommand {
        @Mixin
        TrainerConnection connection;

        @Parameters(paramLabel = "RUN_ID")
        String runId;

        abstract Run call(TrainerServiceGrpc.TrainerServiceBlockingStub trainer);

        @Override
        JsonReport report() {
            return describe(connection.unary(this::call));
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

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Follow a run with a live progress line until it ends (exit 0), --max-wait passes (exit 1) "
                    + "or the trainer goes away (exit 2).")
    static final class Watch implements Callable<Integer> {
        /** Exit code when --max-wait passes first: the run goes on, nothing failed. */
        static final int STILL_GOING = 1;

        @Mixin
        TrainerConnection connection;

        @Parameters(paramLabel = "RUN_ID")
        String runId;

        @Option(names = "--max-wait", paramLabel = "DURATION", converter = Durations.class,
                description = "Stop watching after DURATION (e.g. 90s, 10m; default: until the run ends), print where the run is "
                        + "and exit with code 1. Code 1 then says only that the run is still going: it is not an error in the run, "
                        + "which keeps training.")
        Duration maxWait;

        @Spec
        CommandSpec spec;

        /** Whether a progress line is on stderr, not yet ended by a newline. */
        private ProgressBar bar;

        /** The run's state after the watch, and whether its stream ended (else --max-wait passed). */
        private record Outcome(Run run, boolean streamEnded) {
        }

        @Override
        public Integer call() {
            // One deadline for the whole watch, counted from the start.
            Optional<Deadline> giveUp = Optional.ofNullable(maxWait).map(d -> Deadline.after(d.toNanos(), TimeUnit.NANOSECONDS));
            Outcome outcome = connection.call(trainer -> follow(trainer, giveUp));
            Run run = outcome.run();
            if (!outcome.streamEnded()) {
                spec.commandLine().getErr().printf("%s: stopped watching after %s (--max-wait): run %s is %s at step %d/%d%n",
                        spec.qualifiedName(), Durations.format(maxWait), runId, state(run.getState().name()), run.getGeneratorStep(),
                        run.getConfig().getSteps());
            }
            spec.commandLine().getOut().println(describe(run).render(false));
            spec.commandLine().getOut().flush();
            return outcome.streamEnded() ? 0 : STILL_GOING;
        }

        private Outcome follow(TrainerConnection.Session trainer, Optional<Deadline> giveUp) {
            long total = getRun(trainer).getConfig().getSteps();
            boolean ended = stream(trainer, giveUp, total);
            return new Outcome(getRun(trainer), ended);
        }

        private Run getRun(TrainerConnection.Session trainer) {
            return trainer.unary().getRun(GetRunRequest.newBuilder().setRunId(runId).build());
        }

        /** Prints a progress line per metrics report until the stream ends (true) or --max-wait passes (false). */
        private boolean stream(TrainerConnection.Session trainer, Optional<Deadline> giveUp, long total) {
            try {
                Iterator<TrainingMetrics> metrics = trainer.streaming(giveUp)
                        .watchRun(WatchRunRequest.newBuilder().setRunId(runId).build());
                while (metrics.hasNext()) {
                    progress(metrics.next(), total);
                }
                return true;
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (code == Status.Code.DEADLINE_EXCEEDED && giveUp.isPresent()) {
                    return false; // the stream's only deadline is --max-wait's
                }
                if (code == Status.Code.NOT_FOUND) {
                    throw e; // the trainer's own words, as 'get' prints them
                }
                // Keepalive failures, a shut-down or restarted service, a dropped connection.
                throw new CliErrors.Failure("lost the trainer at " + connection.trainer + " while watching run " + runId + " (" + code
                        + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription())
                        + "); the run may still be training: see 'mmdgan runs get " + runId + "' once the trainer answers");
            } finally {
                endProgressLine();
            }
        }

        /** What follows the progress line (the final state, or a message) starts on a line of its own. */
        private void endProgressLine() {
            if (bar != null) {
                bar.finish();
            }
        }

        private void progress(TrainingMetrics m, long total) {
            if (bar == null) {
                bar = new ProgressBar(spec.commandLine().getErr());
            }
            if (bar.due(m.getGeneratorStep() >= total)) {
                bar.show(String.format("step %d/%d %s D %.4f G %.4f | lr %.3g | %.1f steps/s | ETA %ds", m.getGeneratorStep(), total,
                        ProgressBar.bar(m.getGeneratorStep(), total), m.getLosses().getCriticLoss(), m.getLosses().getGeneratorLoss(),
                        m.getLrGenerator(), m.getStepsPerSecond(), Math.round(m.getEtaSeconds())));
            }
        }
    }
}
