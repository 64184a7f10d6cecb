package dev.mmdgan.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A command that computes one report and prints it as text, or as one JSON object with {@code --json}. */
abstract class ReportingCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    abstract JsonReport report() throws Exception;

    @Override
    public final Integer call() throws Exception {
        spec.commandLine().getOut().println(report().render(json));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
