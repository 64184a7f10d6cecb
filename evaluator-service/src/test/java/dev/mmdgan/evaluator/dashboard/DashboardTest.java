package dev.mmdgan.evaluator.dashboard;

import static dev.mmdgan.evaluator.dashboard.DashboardEvents.checkpoint;
import static dev.mmdgan.evaluator.dashboard.DashboardEvents.decision;
import static dev.mmdgan.evaluator.dashboard.DashboardEvents.evaluation;
import static dev.mmdgan.evaluator.dashboard.DashboardEvents.metrics;
import static dev.mmdgan.evaluator.dashboard.DashboardEvents.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.mmdgan.api.v1.DecisionKind;
import dev.mmdgan.api.v1.RunState;
import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.storage.BlobStore;
import dev.mmdgan.evaluator.LocalInfra;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard end to end: the service against the real broker and store of {@link LocalInfra}, events published
 * with a plain producer as the trainer and the evaluator do, the JSON and picture routes, a fresh consumer replaying the
 * history, gRPC still answering on the shared port, and the page in headless Chromium drawing the history and then a
 * live evaluation. Screenshots: target/dashboard-history.png and target/dashboard-screenshot.png.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "dashboard"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardTest {

    static final String RUN = "fashion-mmd-rq";
    static final String OTHER = "moons-smoke";
    /** Evaluations of the history (every 100 steps to 900); the live one comes at 1000. */
    static final int HISTORY_EVALUATIONS = 9;
    static final Path TARGET = Path.of(System.getProperty("user.dir"), "target");
    static final Duration WAIT = Duration.ofSeconds(60);

    private static boolean published;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    KafkaConfig kafka;

    @Inject
    BlobStore store;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Order(1)
    void snapshotsShowWhatTheTopicsSaid() throws Exception {
        JsonObject detail = publishHistory();
        JsonObject run = detail.getJsonObject("run");
        assertThat(run.getString("state")).isEqualTo("RUNNING");
        assertThat(run.getLong("step")).isEqualTo(950L);
        assertThat(run.getDouble("lrGenerator")).isEqualTo(0.8e-4);
        assertThat(run.getDouble("lrCritic")).isEqualTo(1.6e-4);
        assertThat(run.getDouble("stepsPerSecond")).isEqualTo(42.0);
        assertThat(run.getInteger("evaluations")).isEqualTo(HISTORY_EVALUATIONS);
        assertThat(run.getInteger("decays")).isEqualTo(1);
        assertThat(run.getLong("lastCheckpointStep")).isEqualTo(900L);
        assertThat(run.getLong("pictureStep")).isEqualTo(900L);
        assertThat(detail.getJsonArray("metrics")).hasSize(95);
        JsonArray kid = detail.getJsonArray("kid");
        assertThat(kid).hasSize(HISTORY_EVALUATIONS);
        for (int i = 0; i < kid.size(); i++) {
            long step = 100L * (i + 1);
            assertThat(kid.getJsonObject(i).getLong("step")).isEqualTo(step);
            assertThat(kid.getJsonObject(i).getDouble("mean")).isEqualTo(kidAt(step));
            assertThat(kid.getJsonObject(i).getString("decision")).isEqualTo(decisionAt(step).name().replace("DECISION_KIND_", ""));
        }
        assertThat(kid.getJsonObject(0).getValue("pValue")).isNull(); // window still filling
        assertThat(kid.getJsonObject(6).getDouble("pValue")).isEqualTo(pAt(700));
        JsonArray decisions = detail.getJsonArray("decisions");
        assertThat(decisions).hasSize(1);
        assertThat(decisions.getJsonObject(0).getString("kind")).isEqualTo("DECAY");
        assertThat(decisions.getJsonObject(0).getDouble("factor")).isEqualTo(0.8);

        JsonArray runs = new JsonObject(get("/api/dashboard/runs").body()).getJsonArray("runs");
        assertThat(runs.stream().map(r -> ((JsonObject) r).getString("runId"))).containsExactlyInAnyOrder(RUN, OTHER);
        JsonObject other = runs.stream().map(JsonObject.class::cast).filter(r -> r.getString("runId").equals(OTHER))
                .findFirst().orElseThrow();
        assertThat(other.getString("state")).isEqualTo("COMPLETED");
        assertThat(other.getString("reason")).isEqualTo("completed 300 steps");
    }

    @Test
    @Order(2)
    void thePictureComesFromTheStoreAndUnknownThingsAre404() throws Exception {
        publishHistory();
        HttpResponse<byte[]> picture = http.send(request("/api/dashboard/runs/" + RUN + "/picture").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(picture.statusCode()).isEqualTo(200);
        assertThat(picture.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(picture.body()).isEqualTo(store.get(pictureKey(900)));
        String etag = picture.headers().firstValue("ETag").orElseThrow();
        var again = http.send(request("/api/dashboard/runs/" + RUN + "/picture").header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(again.statusCode()).isEqualTo(304);

        var none = get("/api/dashboard/runs/" + OTHER + "/picture");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(none.body()).getString("error")).isEqualTo("run '" + OTHER + "' has no evaluation picture yet");
        var unknown = get("/api/dashboard/runs/no-such-run");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(unknown.body()).getString("error")).startsWith("no run 'no-such-run' in the events seen so far");
        assertThat(get("/api/dashboard/runs/no-such-run/picture").statusCode()).isEqualTo(404);

        // An evaluation names a picture the store does not have: a 502 that names the key.
        String missing = "runs/" + OTHER + "/evaluations/400/samples.png";
        publish(kafka.evaluationsTopic(), OTHER, evaluation(OTHER, 400, 0.003, 0.001, Double.NaN,
                DecisionKind.DECISION_KIND_WARMUP, missing));
        awaitRun(OTHER, run -> Long.valueOf(400).equals(run.getLong("pictureStep")));
        var lost = get("/api/dashboard/runs/" + OTHER + "/picture");
        assertThat(lost.statusCode()).isEqualTo(502);
        assertThat(new JsonObject(lost.body()).getString("error")).startsWith("the store could not give the picture")
                .endsWith("(" + missing + ")");
    }

    @Test
    @Order(3)
    void aFreshConsumerReplaysTheWholeHistory() throws Exception {
        JsonObject served = publishHistory();
        RunBoard board = new RunBoard(2000, 100);
        var topics = new DashboardConsumer.Topics(kafka.runStatesTopic(), kafka.metricsTopic(), kafka.checkpointsTopic(),
                kafka.evaluationsTopic(), kafka.decisionsTopic());
        try (var consumer = new DashboardConsumer(kafka.bootstrapServers(), "replay-" + UUID.randomUUID(), topics, board,
                (type, run, point) -> { })) {
            Thread thread = new Thread(consumer::run, "replay-test");
            thread.start();
            try {
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (System.nanoTime() < deadline && board.detail(RUN).map(d -> d.metrics().size() < 95
                        || d.kid().size() < HISTORY_EVALUATIONS || d.decisions().isEmpty()).orElse(true)) {
                    Thread.sleep(100);
                }
                assertThat(consumer.malformed()).isZero();
            } finally {
                consumer.close();
                thread.join(10_000);
            }
        }
        assertThat(board.detail(RUN)).isPresent();
        assertThat(DashboardJson.detail(board.detail(RUN).get())).isEqualTo(served);
    }

    @Test
    @Order(4)
    void grpcStillAnswersOnTheSharedPort() {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            var health = grpc.health.v1.HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .check(grpc.health.v1.HealthOuterClass.HealthCheckRequest.getDefaultInstance());
            assertThat(health.getStatus()).isEqualTo(grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    @Order(5)
    void theLiveStreamCarriesNewEvents() throws Exception {
        publishHistory();
        HttpResponse<Stream<String>> stream = http.sendAsync(request("/api/dashboard/events").build(),
                HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        try (Stream<String> lines = stream.body()) {
            CompletableFuture<String> update = CompletableFuture.supplyAsync(() -> lines
                    .filter(l -> l.startsWith("data:") && l.contains("\"runId\":\"" + OTHER + "\"") && l.contains("\"type\":\"metrics\""))
                    .findFirst().orElse(null));
            // A record that is not an event is skipped and counted; the next one still goes through.
            producer().send(new ProducerRecord<>(kafka.metricsTopic(), OTHER, new byte[] {(byte) 0xff, 0x01, 0x02}))
                    .get(30, TimeUnit.SECONDS);
            publish(kafka.metricsTopic(), OTHER, metrics(OTHER, 510, 1e-3, 90));
            JsonObject json = new JsonObject(update.get(30, TimeUnit.SECONDS).substring("data:".length()).trim());
            assertThat(json.getJsonObject("point").getLong("step")).isEqualTo(510L);
            assertThat(json.getJsonObject("point").getDouble("lrCritic")).isEqualTo(2e-3);
            assertThat(json.getJsonObject("run").getLong("step")).isEqualTo(510L);
        }
        assertThat(get("/metrics").body()).containsPattern("(?m)^mmdgan_dashboard_skipped_events_total\\{[^}]*} 1\\.0$");
    }

    @Test
    @Order(6)
    @Timeout(180)
    void thePageDrawsTheHistoryThenALiveEvaluation() throws Exception {
        publishHistory();
        try (Browser browser = new Browser(1500, 1240)) {
            browser.open("http://127.0.0.1:" + port + "/#run=" + RUN);
            browser.await(WAIT, b -> String.valueOf(HISTORY_EVALUATIONS).equals(b.attribute("kid-chart", "data-points"))
                    && "900".equals(b.attribute("picture", "data-step")), DashboardTest::describe);
            assertThat(browser.script("return typeof echarts")).isEqualTo("object"); // from the WebJar, not a CDN
            assertThat(browser.text("run-state")).isEqualTo("RUNNING");
            assertThat(browser.text("t-decays")).isEqualTo("1");
            assertThat(browser.script("return document.querySelectorAll('#runs li').length")).isEqualTo(2L);
            browser.screenshot(TARGET.resolve("dashboard-history.png"));

            // A new evaluation (with its picture) and metrics arrive while the page is open.
            store.put(pictureKey(1000), DashboardEvents.samplePng(1000));
            for (long step = 960; step <= 1000; step += 10) {
                publish(kafka.metricsTopic(), RUN, metrics(RUN, step, 0.8e-4, 42));
            }
            publish(kafka.evaluationsTopic(), RUN, evaluation(RUN, 1000, kidAt(1000), stderrAt(1000), 0.03,
                    DecisionKind.DECISION_KIND_PASS, pictureKey(1000)));
            browser.await(WAIT, b -> String.valueOf(HISTORY_EVALUATIONS + 1).equals(b.attribute("kid-chart", "data-points"))
                    && "1000".equals(b.attribute("picture", "data-step")), DashboardTest::describe);
            assertThat(browser.text("t-step")).isEqualTo("1,000");
            assertThat(browser.consoleErrors()).isEmpty();
            assertThat(browser.attribute("loss-chart", "data-points")).isEqualTo("100");
            Thread.sleep(300); // let the last frame settle before the picture is taken
            browser.screenshot(TARGET.resolve("dashboard-screenshot.png"));
        }
    }

    private static String describe(Browser b) {
        return "kid-chart data-points=" + b.attribute("kid-chart", "data-points") + ", picture data-step="
                + b.attribute("picture", "data-step") + ", connection=" + b.text("connection");
    }

    // ---------- the history: what a trainer and an evaluator would have published ----------

    static double kidAt(long step) {
        return 0.25 * Math.exp(-step / 300.0) + 0.015 + 0.004 * Math.sin(step / 70.0);
    }

    static double stderrAt(long step) {
        return 0.004 + 0.01 * Math.exp(-step / 400.0);
    }

    /** Two evaluations fill the window; then the test passes, fails three times (a decay at 700), and passes. */
    static DecisionKind decisionAt(long step) {
        if (step <= 200) {
            return DecisionKind.DECISION_KIND_WARMUP;
        } else if (step == 500 || step == 600 || step == 900) {
            return DecisionKind.DECISION_KIND_FAIL;
        } else if (step == 700) {
            return DecisionKind.DECISION_KIND_DECAY;
        }
        return DecisionKind.DECISION_KIND_PASS;
    }

    static double pAt(long step) {
        return switch (decisionAt(step)) {
            case DECISION_KIND_WARMUP -> Double.NaN;
            case DECISION_KIND_PASS -> 0.01 + step / 20_000.0;
            default -> 0.2 + step / 2_000.0;
        };
    }

    static String pictureKey(long step) {
        return "runs/" + RUN + "/evaluations/" + step + "/samples.png";
    }

    /** Publishes the history once per test class and waits until the dashboard shows it; returns the run's detail. */
    private JsonObject publishHistory() throws Exception {
        if (!published) {
            store.ensureBucket();
            store.put(pictureKey(900), DashboardEvents.samplePng(900));
            publish(kafka.runStatesTopic(), RUN, state(RUN, 0, RunState.RUN_STATE_QUEUED, RunState.RUN_STATE_RUNNING, "started"));
            for (long step = 10; step <= 950; step += 10) {
                publish(kafka.metricsTopic(), RUN, metrics(RUN, step, step <= 700 ? 1e-4 : 0.8e-4, 42));
            }
            for (long step = 100; step <= 900; step += 100) {
                publish(kafka.checkpointsTopic(), RUN, checkpoint(RUN, step));
                publish(kafka.evaluationsTopic(), RUN, evaluation(RUN, step, kidAt(step), stderrAt(step), pAt(step),
                        decisionAt(step), step == 900 ? pictureKey(step) : ""));
            }
            publish(kafka.decisionsTopic(), RUN, decision(RUN, 700, DecisionKind.DECISION_KIND_DECAY, 0.8, pAt(700)));
            publish(kafka.runStatesTopic(), OTHER, state(OTHER, 0, RunState.RUN_STATE_QUEUED, RunState.RUN_STATE_RUNNING, "started"));
            for (long step = 100; step <= 300; step += 100) {
                publish(kafka.metricsTopic(), OTHER, metrics(OTHER, step, 1e-3, 90));
            }
            publish(kafka.evaluationsTopic(), OTHER, evaluation(OTHER, 300, 0.004, 0.001, Double.NaN,
                    DecisionKind.DECISION_KIND_WARMUP, ""));
            publish(kafka.runStatesTopic(), OTHER, state(OTHER, 300, RunState.RUN_STATE_RUNNING, RunState.RUN_STATE_COMPLETED,
                    "completed 300 steps"));
            published = true;
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get("/api/dashboard/runs/" + RUN);
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200) {
                JsonObject detail = new JsonObject(r.body());
                if (detail.getJsonArray("metrics").size() >= 95 && detail.getJsonArray("kid").size() >= HISTORY_EVALUATIONS
                        && !detail.getJsonArray("decisions").isEmpty() && get("/api/dashboard/runs/" + OTHER).statusCode() == 200
                        && "COMPLETED".equals(new JsonObject(get("/api/dashboard/runs/" + OTHER).body()).getJsonObject("run").getString("state"))) {
                    return detail;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the dashboard did not show the history within " + WAIT + "; last answer " + last);
    }

    private static KafkaProducer<String, byte[]> producer;

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private void publish(String topic, String run, Message event) throws Exception {
        producer().send(new ProducerRecord<>(topic, run, event.toByteArray())).get(30, TimeUnit.SECONDS);
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** Polls a run's summary until {@code done} holds; fails with the last answer after {@link #WAIT}. */
    private JsonObject awaitRun(String run, java.util.function.Predicate<JsonObject> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get("/api/dashboard/runs/" + run);
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200 && done.test(new JsonObject(r.body()).getJsonObject("run"))) {
                return new JsonObject(r.body()).getJsonObject("run");
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run " + run + " did not get there within " + WAIT + "; last answer " + last);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }
}
