package dev.mmdgan.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command under a deadline, its output in files (a server it starts cannot hold a pipe of ours open). */
final class Shell {

    private Shell() {
    }

    /** What a finished command printed. */
    record Result(int exitCode, String stdout, String stderr) {

        /** Fails with the command's output unless it exited 0. */
        Result ok(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " exited " + exitCode + ":\n" + stderr + "\n" + stdout);
            }
            return this;
        }
    }

    /**
     * Runs {@code command} in {@code dir} with the environment plus {@code env}; a command still running after
     * {@code deadline} is killed, with its child processes, and fails the test.
     */
    static Result run(Path dir, Map<String, String> env, Duration deadline, List<String> command) {
        Path out;
        Path err;
        Process process;
        try {
            out = Files.createTempFile("e2e-", ".out");
            err = Files.createTempFile("e2e-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                            Path.of("/dev/null").toFile()));
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        }
        try {
            if (!process.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + deadline.toSeconds() + " s; it printed:\n"
                        + Files.readString(err, StandardCharsets.UTF_8) + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot read what " + command + " printed", e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } finally {
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // temporary files
            }
        }
    }
}
