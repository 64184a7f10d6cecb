package dev.mmdgan.evaluator.dashboard;

import dev.mmdgan.service.storage.BlobStore;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The dashboard's HTTP API beside the page (META-INF/resources/index.html), on the HTTP port that gRPC shares; all
 * GET, so gRPC's POSTs never reach them:
 * <ul>
 * <li>{@code /api/dashboard/runs}: every run's summary, newest first;</li>
 * <li>{@code /api/dashboard/runs/{run}}: a run with its series (404 for an unknown run);</li>
 * <li>{@code /api/dashboard/runs/{run}/picture}: the newest evaluation picture from the store (404 when none);</li>
 * <li>{@code /api/dashboard/events}: the live updates, as server-sent events;</li>
 * <li>{@code /dashboard/echarts.min.js}: a redirect to the charting library in its WebJar, so the page needs no
 * version.</li>
 * </ul>
 */
@ApplicationScoped
public class DashboardRoutes {

    private static final Logger LOG = Logger.getLogger(DashboardRoutes.class);
    private static final String ECHARTS_POM = "META-INF/maven/org.webjars.npm/echarts/pom.properties";

    @Inject
    DashboardConfig config;

    @Inject
    DashboardFeed feed;

    @Inject
    BlobStore store;

    void routes(@Observes Router router) {
        if (!config.enabled()) {
            return;
        }
        router.get("/api/dashboard/runs").handler(rc -> json(rc, 200, DashboardJson.runs(feed.board().summaries())));
        router.get("/api/dashboard/runs/:run").handler(this::run);
        router.get("/api/dashboard/runs/:run/picture").handler(this::picture);
        router.get("/api/dashboard/events").handler(rc -> feed.stream().open(rc));
        String echarts = echartsPath();
        router.get("/dashboard/echarts.min.js").handler(rc -> {
            if (echarts == null) {
                json(rc, 404, DashboardJson.error("the ECharts WebJar is not on the class path"));
            } else {
                rc.response().setStatusCode(302).putHeader("Location", echarts).end();
            }
        });
    }

    private void run(RoutingContext rc) {
        String run = rc.pathParam("run");
        feed.board().detail(run).ifPresentOrElse(d -> json(rc, 200, DashboardJson.detail(d)),
                () -> json(rc, 404, DashboardJson.error(unknownRun(run))));
    }

    /** The picture's bytes, read off the event loop within the configured time; its key is its ETag. */
    private void picture(RoutingContext rc) {
        String run = rc.pathParam("run");
        if (feed.board().summary(run).isEmpty()) {
            json(rc, 404, DashboardJson.error(unknownRun(run)));
            return;
        }
        Optional<String> key = feed.board().pictureKey(run);
        if (key.isEmpty()) {
            json(rc, 404, DashboardJson.error("run '" + run + "' has no evaluation picture yet"));
            return;
        }
        String etag = "\"" + key.get() + "\"";
        if (etag.equals(rc.request().getHeader("If-None-Match"))) {
            rc.response().setStatusCode(304).end();
            return;
        }
        long timeout = config.pictureTimeout().toMillis();
        rc.vertx().<byte[]>executeBlocking(() -> store.get(key.get()), false)
                .timeout(timeout, TimeUnit.MILLISECONDS)
                .onSuccess(bytes -> rc.response().putHeader("Content-Type", contentType(key.get()))
                        .putHeader("Cache-Control", "no-cache").putHeader("ETag", etag)
                        .end(io.vertx.core.buffer.Buffer.buffer(bytes)))
                .onFailure(e -> {
                    boolean late = e instanceof TimeoutException;
                    LOG.warnf("picture %s of run %s: %s", key.get(), run, firstLine(e.toString()));
                    // The client learns what failed, not the store's address or request details.
                    json(rc, late ? 504 : 502, DashboardJson.error((late ? "the store did not answer within " + timeout + " ms"
                            : "the store could not give the picture: " + e.getClass().getSimpleName()) + " (" + key.get() + ")"));
                });
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 400 ? line.substring(0, 400) + "…" : line;
    }

    private static String unknownRun(String run) {
        return "no run '" + (run.length() > 80 ? run.substring(0, 80) + "…" : run)
                + "' in the events seen so far; GET /api/dashboard/runs lists the runs";
    }

    private static String contentType(String key) {
        String k = key.toLowerCase();
        if (k.endsWith(".png")) {
            return "image/png";
        } else if (k.endsWith(".jpg") || k.endsWith(".jpeg")) {
            return "image/jpeg";
        } else if (k.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }

    private static void json(RoutingContext rc, int status, JsonObject body) {
        if (!rc.response().ended()) {
            rc.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache").end(body.encode());
        }
    }

    /** /webjars/echarts/{version}/dist/echarts.min.js, the version read from the WebJar's own Maven metadata. */
    private static String echartsPath() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(ECHARTS_POM)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return "/webjars/echarts/" + p.getProperty("version") + "/dist/echarts.min.js";
        } catch (IOException e) {
            LOG.warnf("cannot read %s: %s", ECHARTS_POM, e.toString());
            return null;
        }
    }
}
