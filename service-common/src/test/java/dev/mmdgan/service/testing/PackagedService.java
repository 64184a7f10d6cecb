package dev.mmdgan.service.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged build of the service under test ({@code target/quarkus-app}) started as its own process, as an operator
 * runs it, with a test's settings as system properties. Each start logs to its own file; {@link #close} kills every
 * process this object started.
 */
public final class PackagedService implements AutoCloseable {

    /** How long {@link #start} waits for the service to answer. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final String service;
    private final int port;
    private final Path logs;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param service the service's name, for messages
     * @param port    its HTTP and gRPC port
     * @param logs    the folder of the processes' logs
     */
    public PackagedService(String service, int port, Path logs) {
        this.service = service;
        this.port = port;
        this.logs = logs;
    }

    /**
     * Starts the service, its output going to {@code logs/NAME.log}, and waits until it is ready (200 on
     * /q/health/ready), or with {@code waitReady} false only until it answers HTTP. Fails at once when it exits first.
     */
    public Process start(String name, Map<String, String> settings, Map<String, String> env, boolean waitReady)
            throws IOException, InterruptedException {
        Path app = Path.of(System.getProperty("user.dir"), "target", "quarkus-app", "quarkus-run.jar");
        Path log = logs.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", app.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        if (waitReady) {
            Readiness.await(service + " (log: " + log + ")", port, process);
            return process;
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                readiness();
                return process;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new AssertionError("the " + service + " exited with " + process.exitValue() + "; see " + log);
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the " + service + " did not answer HTTP within " + START_TIMEOUT.toSeconds() + " s; see " + log);
    }

    /** The status code of /q/health/ready: 200 when ready, 503 when not. */
    public int readiness() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Kills every process started here and waits for each to end. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        processes.clear();
    }
}
