package dev.mmdgan.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that write their figures to a JSON file.",
        subcommands = {BenchKidCommand.class, BenchTrainCommand.class, BenchEvaluateCommand.class, BenchSamplerCommand.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
