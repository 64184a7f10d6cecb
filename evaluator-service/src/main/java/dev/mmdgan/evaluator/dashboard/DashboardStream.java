package dev.mmdgan.evaluator.dashboard;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live updates as server-sent events ({@code text/event-stream}): each update is one {@code data:} line of
 * JSON. A client too slow to keep up (its write queue full) is dropped; its browser reconnects by itself and loads a
 * fresh snapshot. Writes happen on each connection's own event loop, whichever thread publishes.
 */
final class DashboardStream {

    private record Client(HttpServerResponse response, Context context) {
    }

    private final Set<Client> clients = ConcurrentHashMap.newKeySet();

    /** Answers the request with an open event stream. */
    void open(RoutingContext rc) {
        HttpServerResponse r = rc.response();
        r.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no"); // no proxy buffering
        Client c = new Client(r, Vertx.currentContext());
        r.closeHandler(v -> clients.remove(c));
        r.exceptionHandler(e -> clients.remove(c));
        clients.add(c);
        // The browser retries after 2 s when the stream breaks; the comment flushes the headers at once.
        r.write("retry: 2000\n: connected\n\n");
    }

    /** Sends an update to every client. */
    void publish(JsonObject update) {
        send("data: " + update.encode() + "\n\n");
    }

    /** A comment line, ignored by browsers: keeps idle connections open. */
    void heartbeat() {
        send(": ping\n\n");
    }

    int clients() {
        return clients.size();
    }

    /** Ends every stream (at shutdown). */
    void closeAll() {
        for (Client c : clients) {
            c.context().runOnContext(v -> {
                if (!c.response().closed()) {
                    c.response().end();
                }
            });
        }
        clients.clear();
    }

    private void send(String frame) {
        for (Client c : clients) {
            c.context().runOnContext(v -> {
                HttpServerResponse r = c.response();
                if (r.closed() || r.ended()) {
                    clients.remove(c);
                } else if (r.writeQueueFull()) {
                    clients.remove(c);
                    r.reset();
                } else {
                    r.write(frame);
                }
            });
        }
    }
}
