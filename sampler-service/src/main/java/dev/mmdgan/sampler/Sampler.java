package dev.mmdgan.sampler;

import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.ModelInfo;
import dev.mmdgan.api.v1.ServedModelChange;
import dev.mmdgan.sampler.events.SamplerEvents;
import dev.mmdgan.sampler.model.BatchingQueue;
import dev.mmdgan.sampler.model.ModelCache;
import dev.mmdgan.sampler.model.ModelRegistry;
import dev.mmdgan.sampler.model.RunServing;
import dev.mmdgan.sampler.model.ServedModel;
import dev.mmdgan.sampler.model.ServingPolicy;
import dev.mmdgan.sampler.storage.StoredModels;
import dev.mmdgan.service.Timestamps;
import dev.mmdgan.service.health.BackgroundWork;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The sampler as the service runs it: the domain's registry, cache and batching queue built from
 * {@link SamplerConfig}, swaps and rejections reported (log, metric, event), and at start the newest model of the
 * store's runs loaded, so a restarted sampler serves at once (ready once that is done).
 */
@ApplicationScoped
public class Sampler {

    private static final Logger LOG = Logger.getLogger(Sampler.class);

    @Inject
    SamplerConfig config;

    @Inject
    StoredModels stored;

    @Inject
    SamplerMetrics metrics;

    @Inject
    SamplerEvents events;

    @Inject
    BackgroundWork background;

    private String instanceId;
    private ModelRegistry registry;
    private BatchingQueue queue;
    private ExecutorService loader;
    private volatile boolean preloaded;

    @PostConstruct
    void init() {
        instanceId = config.instanceId().orElse(UUID.randomUUID().toString().substring(0, 8));
        Map<String, ServingPolicy> perRun = new HashMap<>();
        for (String entry : config.runPolicies().orElse(List.of())) {
            int eq = entry.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("mmdgan.sampler.run-policies entries are RUN=POLICY, got '" + entry + "'");
            }
            perRun.put(entry.substring(0, eq).strip(), ServingPolicy.parse(entry.substring(eq + 1)));
        }
        ServingPolicy fallback = ServingPolicy.parse(config.policy());
        loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sampler-model-loader");
            t.setDaemon(true);
            return t;
        });
        ModelCache cache = new ModelCache(config.cacheMaxModels(), config.cacheMaxBytes(), stored);
        registry = new ModelRegistry(cache, stored, run -> perRun.getOrDefault(run, fallback), loader, new Reports(), Clock.systemUTC());
        queue = new BatchingQueue(new BatchingQueue.Settings(config.batchingEnabled(), config.batchingMaxBatch(),
                config.batchingMaxDelay(), config.maxQueuedSamples(), config.batchingWorkers()), metrics::batch);
        metrics.queue(queue::queuedRows);
    }

    void start(@Observes StartupEvent event) {
        background.start("sampler-preload", this::preload);
    }

    void stop(@Observes ShutdownEvent event) {
        queue.close();
        loader.shutdownNow();
        registry.cache().clear();
    }

    /** Loads the served model of the store's runs (newest first, up to mmdgan.sampler.preload-runs). */
    private void preload() {
        try {
            List<String> runs = stored.runs();
            for (String run : runs.subList(0, Math.min(runs.size(), config.preloadRuns()))) {
                try (ModelRegistry.Lease lease = registry.acquire(run)) {
                    LOG.infof("serving run %s at step %d", run, lease.model().step());
                } catch (RuntimeException e) {
                    LOG.warnf("run %s cannot be served yet: %s", run, e.getMessage());
                }
            }
        } catch (Exception e) {
            LOG.warnf("could not list the store's runs at start (%s); models load on their first request", e.toString());
        } finally {
            preloaded = true;
        }
    }

    /** Whether the store's runs were loaded at start (a method: a field read through the CDI proxy sees nothing). */
    public boolean preloaded() {
        return preloaded;
    }

    public String instanceId() {
        return instanceId;
    }

    public ModelRegistry registry() {
        return registry;
    }

    public BatchingQueue queue() {
        return queue;
    }

    /** GetModel's answer for a leased model. */
    public static ModelInfo info(ModelRegistry.Lease lease) {
        ServedModel m = lease.model();
        ModelInfo.Builder info = ModelInfo.newBuilder().setCheckpoint(m.checkpoint()).setArchitecture(m.generator().architecture())
                .setNoiseDim(m.generator().noiseDim()).setLoadedAt(Timestamps.of(m.loadedAt())).setProvenance(m.provenance())
                .setPolicy(lease.run().policy().label());
        for (long d : m.generator().sampleShape()) {
            info.addSampleShape(d);
        }
        lease.run().kid(m.step()).ifPresent(info::setKid);
        Optional<RunServing.Served> served = lease.served();
        if (served.isPresent() && served.get().step() == m.step()) {
            info.setLoadedAt(Timestamps.of(served.get().since())).setReason(served.get().reason());
        } else {
            info.setReason("step " + m.step() + " as requested");
        }
        return info.build();
    }

    /** Swaps and rejections: log (the registry's), metric, event. */
    private final class Reports implements ModelRegistry.Listener {
        @Override
        public void swapped(ServedModel model, RunServing run, RunServing.Served served) {
            metrics.swapped(run.runId(), model.step());
            model.retain();
            try (ModelRegistry.Lease lease = new ModelRegistry.Lease(model, run, Optional.of(served))) {
                events.changed(instanceId, ServedModelChange.SERVED_MODEL_CHANGE_SWAPPED, model.checkpoint(), info(lease),
                        served.reason());
            }
        }

        @Override
        public void rejected(String runId, long step, Throwable why) {
            metrics.rejected();
            ModelInfo served = ModelInfo.getDefaultInstance();
            Optional<RunServing> run = registry.find(runId);
            Optional<RunServing.Served> now = run.flatMap(RunServing::served);
            if (now.isPresent()) {
                ServedModel m = registry.cache().acquireIfCached(runId, now.get().step());
                if (m != null) {
                    try (ModelRegistry.Lease lease = new ModelRegistry.Lease(m, run.get(), now)) {
                        served = info(lease);
                    }
                }
            }
            events.changed(instanceId, ServedModelChange.SERVED_MODEL_CHANGE_REJECTED,
                    CheckpointRef.newBuilder().setRunId(runId).setGeneratorStep(step).build(), served, String.valueOf(why.getMessage()));
        }
    }

    /** Readiness: up once the store's runs were loaded at start. */
    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {

        @Inject
        Sampler sampler;

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("sampler-models-preloaded").status(sampler.preloaded()).build();
        }
    }
}
