package dev.mmdgan.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the command-line tools the checks need, each under a deadline; a missing tool fails with what to install. */
final class Tools {

    static final Duration DEADLINE = Duration.ofSeconds(60);

    private Tools() {
    }

    /** What a finished command printed. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    /** The repository root: the first folder upwards that holds docker-compose.yml and deploy/. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker-compose.yml")) && Files.isDirectory(p.resolve("deploy"))) {
                return p;
            }
        }
        throw new AssertionError("no docker-compose.yml with a deploy/ folder above " + dir);
    }

    /**
     * Runs {@code command} in {@code dir}. A tool that is not installed fails the test with {@code installHint}
     * (never a silent skip); one that runs past {@link #DEADLINE} is killed and fails it too.
     */
    static Result run(Path dir, String installHint, String... command) {
        return run(dir, Map.of(), installHint, command);
    }

    /** {@link #run(Path, String, String...)} with extra environment variables for the command. */
    static Result run(Path dir, Map<String, String> env, String installHint, String... command) {
        List<String> cmd = List.of(command);
        Path out;
        Path err;
        try {
            out = Files.createTempFile("deploy-check-", ".out");
            err = Files.createTempFile("deploy-check-", ".err");
        } catch (IOException e) {
            throw new AssertionError("cannot create temporary files", e);
        }
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(cmd)).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            // The checks see the files only, not settings of the shell that runs the build.
            builder.environment().keySet().removeIf(k -> k.startsWith("MMDGAN_") || k.startsWith("COMPOSE_"));
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("'" + command[0] + "' is not installed (" + e.getMessage() + "): " + installHint, e);
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within " + DEADLINE.toSeconds() + " s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot read the output of " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", cmd), e);
        } finally {
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // temporary files; the OS cleans up
            }
        }
    }

    /** Like {@link #run} but a non-zero exit fails with the command and what it printed on stderr. */
    static String check(Path dir, String installHint, String... command) {
        Result r = run(dir, installHint, command);
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exitCode() + ":\n" + r.stderr() + r.stdout());
        }
        return r.stdout();
    }
}
