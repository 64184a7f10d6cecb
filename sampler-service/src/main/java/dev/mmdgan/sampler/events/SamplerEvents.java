package dev.mmdgan.sampler.events;

import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.ModelInfo;
import dev.mmdgan.api.v1.ServedModelChange;
import dev.mmdgan.api.v1.ServedModelChanged;
import dev.mmdgan.sampler.SamplerConfig;
import dev.mmdgan.service.events.EventIds;
import dev.mmdgan.service.events.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The sampler's own events: a model swapped in, a checkpoint rejected ({@code mmdgan.sampler.events-topic}). */
@ApplicationScoped
public class SamplerEvents {

    @Inject
    SamplerConfig config;

    @Inject
    EventPublisher publisher;

    /** {@code instance} tells replicas' events apart: each replica swaps on its own. */
    public void changed(String instance, ServedModelChange change, CheckpointRef checkpoint, ModelInfo served, String reason) {
        String run = checkpoint.getRunId();
        publisher.publish(config.eventsTopic(), run, ServedModelChanged.newBuilder()
                .setHeader(EventIds.header(run, checkpoint.getGeneratorStep(), "sampler|" + instance + "|" + change, publisher.producer()))
                .setChange(change).setCheckpoint(checkpoint).setServed(served).setReason(reason).build());
    }
}
