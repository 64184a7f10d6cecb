package dev.mmdgan.service.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waits for a service under test to be ready, as its orchestrator would. */
public final class Readiness {

    private Readiness() {
    }

    /**
     * Waits until {@code service} on {@code port} answers 200 on /q/health/ready (up to 90 s): until then it may still be
     * connecting to the broker or reading its state back from the store.
     */
    public static void await(String service, int port) throws InterruptedException {
        await(service, port, null);
    }

    /** As {@link #await(String, int)}, for a service this test started: fails at once when {@code process} has exited. */
    public static void await(String service, int port, Process process) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.body();
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            }
            if (process != null && !process.isAlive()) {
                throw new AssertionError("the " + service + " exited with " + process.exitValue() + " before it was ready");
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the " + service + " on port " + port + " was not ready within 90 s: " + last);
    }
}
