package dev.mmdgan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./mmdgan}. */
@Command(name = "mmdgan",
        mixinStandardHelpOptions = true,
        versionProvider = MmdganCommand.Version.class,
        description = "MMD GAN platform: training, sampling, KID, relative KID test, MMD two-sample tests, benchmarks, and the services' client.",
        // The launcher script answers these itself, without starting a JVM; they are listed here so that --help shows all.
        footerHeading = "%nCommands of the ./mmdgan launcher:%n",
        footer = {
            "  up [--foreground]  Start the broker, store, three services and a demo run.",
            "  status [--json]    Each component's state, address and pid; the runs.",
            "  logs NAME [-f]     A component's log: kafka, s3, trainer, evaluator, sampler.",
            "  down               Stop everything `up` started, and nothing else.",
            "  infra start|stop   Only the Kafka broker and S3 server (also: status)."},
        subcommands = {TrainCommand.class, SampleCommand.class, PlotCommand.class, KidCommand.class, RelativeTestCommand.class, MmdTestCommand.class, BenchCommand.class, RunsCommand.class, SelfCheckCommand.class,
                FeaturesCommand.class, EvaluateCommand.class,
                CommandLine.HelpCommand.class})
public final class MmdganCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** grpc-java logs transport details at INFO through java.util.logging; stderr is for our messages. */
    private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

    public static void main(String[] args) {
        GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (error handlers included); tests drive it in-process. */
    public static CommandLine commandLine() {
        return CliErrors.install(new CommandLine(new MmdganCommand()));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = MmdganCommand.class.getPackage().getImplementationVersion();
            return new String[] {"mmdgan " + (v == null ? "development build" : v)};
        }
    }
}
