package dev.mmdgan.trainer.training;

import dev.mmdgan.service.config.KafkaConfig;
import dev.mmdgan.service.config.ServiceConfig;
import dev.mmdgan.service.events.InMemoryEventPublisher;
import dev.mmdgan.service.health.BackgroundWork;
import dev.mmdgan.service.metrics.ServiceMetrics;
import dev.mmdgan.service.storage.CheckpointStore;
import dev.mmdgan.service.storage.InMemoryBlobStore;
import dev.mmdgan.service.storage.Retry;
import dev.mmdgan.trainer.TrainerConfig;
import dev.mmdgan.trainer.TrainerMetrics;
import dev.mmdgan.trainer.events.TrainerEvents;
import dev.mmdgan.trainer.storage.RunRecords;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The trainer's domain (run manager, scheduling, training loop, checkpoint pipeline, recovery) wired by hand on
 * in-memory fakes of the store ({@link InMemoryBlobStore}) and of Kafka ({@link InMemoryEventPublisher}): no broker,
 * no S3 server, no Quarkus. Two instances on the same fake store act as a service and its restart.
 */
final class InMemoryTrainer implements AutoCloseable {

    final InMemoryBlobStore blobs;
    final InMemoryEventPublisher events = new InMemoryEventPublisher();
    final RunManager manager = new RunManager();
    final CheckpointStore checkpoints;
    final KafkaConfig kafka;

    InMemoryTrainer(InMemoryBlobStore blobs, Path workDir) {
        this.blobs = blobs;
        Retry retry = new Retry(Duration.ofMillis(5), Duration.ofMillis(50));
        checkpoints = new CheckpointStore(blobs, retry);
        kafka = kafka(workDir.resolve("outbox"));
        TrainerConfig config = trainer(workDir);
        ServiceConfig service = new ServiceConfig() {
            @Override
            public String name() {
                return "trainer-service";
            }

            @Override
            public int maxRequestBytes() {
                return 4 << 20;
            }
        };
        ServiceMetrics serviceMetrics = wire(new ServiceMetrics(), service);
        TrainerMetrics metrics = wire(new TrainerMetrics(), serviceMetrics);
        BackgroundWork background = wire(new BackgroundWork(), serviceMetrics);
        TrainerEvents trainerEvents = wire(new TrainerEvents(), kafka, events);
        RunRecords records = new RunRecords(blobs, retry);
        EngineTrainerFactory engine = new EngineTrainerFactory();
        CheckpointPipeline pipeline = wire(new CheckpointPipeline(), checkpoints, trainerEvents, metrics, engine, records, serviceMetrics);
        TrainingLoop loop = wire(new TrainingLoop(), config, engine, pipeline, trainerEvents, metrics);
        RunRecovery recovery = wire(new RunRecovery(), config, checkpoints, records, retry, trainerEvents, background);
        wire(manager, config, trainerEvents, metrics, pipeline, loop, recovery);
        manager.onStart(null);
    }

    /** Waits until the runs of an earlier instance are back. */
    InMemoryTrainer awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!manager.ready()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not ready after 30 s");
            }
            Thread.sleep(10);
        }
        return this;
    }

    /** A graceful stop, as at a service shutdown: training stops, runs keep their RUNNING record. */
    @Override
    public void close() throws InterruptedException {
        manager.onShutdown(null);
    }

    /** Sets every @Inject field of {@code bean} from the value of its type, then calls its @PostConstruct method. */
    private static <T> T wire(T bean, Object... values) {
        try {
            for (Field f : bean.getClass().getDeclaredFields()) {
                if (f.isAnnotationPresent(Inject.class)) {
                    Object value = List.of(values).stream().filter(v -> f.getType().isInstance(v)).findFirst()
                            .orElseThrow(() -> new IllegalStateException("nothing to inject into " + f));
                    f.setAccessible(true);
                    f.set(bean, value);
                }
            }
            for (Method m : bean.getClass().getDeclaredMethods()) {
                if (m.isAnnotationPresent(PostConstruct.class)) {
                    m.setAccessible(true);
                    m.invoke(bean);
                }
            }
            return bean;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TrainerConfig trainer(Path workDir) {
        return new TrainerConfig() {
            @Override
            public Path workDir() {
                return workDir;
            }

            @Override
            public int maxConcurrentRuns() {
                return 1;
            }

            @Override
            public int metricsEvery() {
                return 10;
            }

            @Override
            public List<Path> dataRoots() {
                return List.of();
            }
        };
    }

    private static KafkaConfig kafka(Path outbox) {
        return new KafkaConfig() {
            @Override
            public String bootstrapServers() {
                return "in-memory:0";
            }

            @Override
            public String checkpointsTopic() {
                return "checkpoints";
            }

            @Override
            public String metricsTopic() {
                return "metrics";
            }

            @Override
            public String runStatesTopic() {
                return "run-states";
            }

            @Override
            public String decisionsTopic() {
                return "decisions";
            }

            @Override
            public String evaluationsTopic() {
                return "evaluations";
            }

            @Override
            public int partitions() {
                return 1;
            }

            @Override
            public short replicationFactor() {
                return 1;
            }

            @Override
            public Optional<String> groupId() {
                return Optional.empty();
            }

            @Override
            public int bufferEvents() {
                return 100_000;
            }

            @Override
            public Path outboxDir() {
                return outbox;
            }
        };
    }
}
