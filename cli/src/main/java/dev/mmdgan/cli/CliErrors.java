package dev.mmdgan.cli;

import picocli.CommandLine;

/**
 * Turns bad input into one line on stderr and exit code 2, with no stack trace: picocli's parameter
 * errors, {@link IllegalArgumentException}s raised by the core library (which say what was wrong and
 * what is allowed), and {@link Failure}s (e.g. a trainer that does not answer). Anything else is a bug:
 * exit 1, with the stack trace when MMDGAN_DEBUG is set.
 */
final class CliErrors {

    static final int BAD_INPUT = 2;
    static final int INTERNAL_ERROR = 1;

    private CliErrors() {
    }

    /** A failure whose message already says what happened and what to do: printed as one line, exit 2. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    static CommandLine install(CommandLine cli) {
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(prefix(cmd) + ex.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof Failure) {
                cmd.getErr().println(prefix(cmd) + ex.getMessage());
                return BAD_INPUT;
            }
            if (ex instanceof io.grpc.StatusRuntimeException s) {
                // The trainer's answer: its status says whose fault it is.
                var code = s.getStatus().getCode();
                cmd.getErr().println(prefix(cmd) + "trainer: " + code + (s.getStatus().getDescription() == null ? ""
                        : ": " + s.getStatus().getDescription()));
                return switch (code) {
                    case INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, UNAUTHENTICATED, PERMISSION_DENIED, ALREADY_EXISTS -> BAD_INPUT;
                    default -> INTERNAL_ERROR;
                };
            }
            cmd.getErr().println(prefix(cmd) + "internal error: " + ex);
            if (System.getenv("MMDGAN_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return INTERNAL_ERROR;
        });
        return cli;
    }

    private static String prefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName() + ": ";
    }
}
