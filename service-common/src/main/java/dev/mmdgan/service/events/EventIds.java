package dev.mmdgan.service.events;

import dev.mmdgan.api.v1.EventHeader;
import dev.mmdgan.service.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Event headers whose id says what the event is: a name-based UUID of (run id, step, what), where {@code what} names
 * the kind and anything else that tells two events apart (e.g. {@code "checkpoint"}, or a state change's states and
 * version). An event sent again, after a crash or for a step trained again, has the same id, and consumers drop it.
 */
public final class EventIds {

    private EventIds() {
    }

    public static String id(String runId, long step, String what) {
        return UUID.nameUUIDFromBytes((runId + "|" + step + "|" + what).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static EventHeader header(String runId, long step, String what, String producer) {
        return EventHeader.newBuilder().setEventId(id(runId, step, what)).setRunId(runId).setGeneratorStep(step)
                .setTimestamp(Timestamps.now()).setProducer(producer).build();
    }
}
