package dev.mmdgan.cli;

import dev.mmdgan.api.v1.GenerateRequest;
import dev.mmdgan.api.v1.GetModelRequest;
import dev.mmdgan.api.v1.ModelInfo;
import dev.mmdgan.engine.model.GeneratorModel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Load on a running sampler service: for each request size and client count, closed-loop clients call Generate for
 * {@code --duration}; images/s and latency percentiles per combination, beside the same checkpoint's generation
 * throughput in this process (one thread, calls of 64 seeds and of each request size). The figures are those of a warm
 * service: both JVMs keep compiling the per-call Java code for thousands of calls (a fresh sampler's one-sample
 * requests take about twice as long for the first minute), so the service is loaded for {@code --service-warmup}
 * before the first combination, and each combination and in-process size has its own {@code --warmup}.
 */
@Command(name = "sampler", mixinStandardHelpOptions = true,
        description = {"Benchmark a running sampler service: images/s and p50/p99/p99.9 latency per client count and request size,",
                "and the same model's in-process generation throughput (its checkpoint comes from the store, or --checkpoint)."})
final class BenchSamplerCommand extends ReportingCommand {

    @Option(names = "--remote", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8082",
            description = "The sampler service (default: ${DEFAULT-VALUE}).")
    String remote;

    @Option(names = "--run", required = true, paramLabel = "RUN_ID", description = "The run whose served model is measured.")
    String run;

    @Option(names = "--clients", split = ",", defaultValue = "1,8,64", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    List<Integer> clients;

    @Option(names = "--sizes", split = ",", defaultValue = "1,64", description = "Samples per request (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--duration", converter = Durations.class, defaultValue = "30s",
            description = "Measured time of each combination (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--service-warmup", converter = Durations.class, defaultValue = "60s",
            description = "Unmeasured load before the first combination, 8 clients over every request size, so that the "
                    + "service's JIT has compiled its request path (default: ${DEFAULT-VALUE}).")
    Duration serviceWarmup;

    @Option(names = "--warmup", converter = Durations.class, defaultValue = "10s",
            description = "Unmeasured load before each combination, and before each in-process size (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "Local copy of the served checkpoint for the in-process figure.")
    Path checkpoint;

    @Option(names = "--label", defaultValue = "", description = "Free text recorded in the figures, e.g. batching-on.")
    String label;

    @Mixin
    StoreOptions store;

    @Option(names = "--out", defaultValue = "bench-results/bench-sampler.json", description = "Where to write the figures (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    JsonReport report() throws Exception {
        if (clients.stream().anyMatch(c -> c < 1) || sizes.stream().anyMatch(s -> s < 1) || duration.isZero()) {
            throw new IllegalArgumentException("--clients and --sizes must be ≥ 1 and --duration > 0");
        }
        try (SamplerClient client = new SamplerClient(remote)) {
            ModelInfo model;
            try {
                model = client.stub().withDeadlineAfter(2, TimeUnit.MINUTES).getModel(GetModelRequest.newBuilder().setRunId(run).build());
            } catch (StatusRuntimeException e) {
                throw client.explain(e);
            }
            for (int n : sizes) {
                load(client, n, 8, serviceWarmup.dividedBy(sizes.size()));
            }
            Map<List<Integer>, Result> remoteResults = new LinkedHashMap<>();
            for (int n : sizes) {
                for (int c : clients) {
                    load(client, n, c, warmup);
                    remoteResults.put(List.of(n, c), load(client, n, c, duration));
                }
            }
            // In-process last, so that the clients' JIT warm-up is not spent generating here.
            InProcess local = inProcess(model);
            List<JsonReport> rows = new ArrayList<>();
            remoteResults.forEach((key, r) -> {
                int n = key.get(0);
                rows.add(new JsonReport().put("n", n).put("clients", key.get(1)).put("requests", r.requests).put("errors", r.errors)
                        .put("images_per_s", r.imagesPerSecond).put("p50_ms", r.percentile(0.5)).put("p99_ms", r.percentile(0.99))
                        .put("p999_ms", r.percentile(0.999)).put("vs_in_process", r.imagesPerSecond / local.bestImagesPerSecond())
                        .put("vs_in_process_same_n", r.imagesPerSecond / local.imagesPerSecond(n))
                        .put("client_cpu_ms_per_request", r.clientCpuMillis / Math.max(1, r.requests)));
            });
            JsonReport report = new JsonReport().put("remote", remote).put("run", run)
                    .put("step", model.getCheckpoint().getGeneratorStep()).put("architecture", model.getArchitecture())
                    .put("label", label).put("duration_s", duration.toMillis() / 1000.0)
                    .put("cores", Runtime.getRuntime().availableProcessors())
                    .put("in_process_images_per_s", local.bestImagesPerSecond()).put("in_process", local.toJson())
                    .put("results", rows);
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            Files.writeString(out, report.toJson() + System.lineSeparator());
            return report;
        }
    }

    /**
     * The engine in this process on the same checkpoint, one thread, after a warm-up: for 64 and for each request size,
     * images/s and the median call time of back-to-back calls of that many seeds.
     */
    private InProcess inProcess(ModelInfo model) throws Exception {
        try (CheckpointSource source = checkpoint != null ? CheckpointSource.of(checkpoint.toString(), store)
                : CheckpointSource.ofRun(run, model.getCheckpoint().getGeneratorStep(), store);
             GeneratorModel g = GeneratorModel.load(source.dir())) {
            TreeSet<Integer> callSizes = new TreeSet<>(sizes);
            callSizes.add(64);
            Map<Integer, SizeFigures> bySize = new TreeMap<>();
            for (int n : callSizes) {
                long[] seeds = LongStream.range(0, n).toArray();
                long warm = System.nanoTime() + warmup.toNanos();
                while (System.nanoTime() < warm) {
                    g.generate(seeds);
                }
                long start = System.nanoTime();
                long end = start + Math.min(duration.toNanos(), Duration.ofSeconds(10).toNanos());
                List<Double> calls = new ArrayList<>();
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    g.generate(seeds);
                    calls.add((System.nanoTime() - t) / 1e6);
                }
                double rate = calls.size() * (double) n / ((System.nanoTime() - start) / 1e9);
                bySize.put(n, new SizeFigures(rate, Benchmarks.median(calls.stream().mapToDouble(Double::doubleValue).toArray())));
            }
            return new InProcess(bySize);
        }
    }

    /** In-process figures of calls of one size. */
    private record SizeFigures(double imagesPerSecond, double medianCallMillis) {
    }

    /** In-process figures per request size. */
    private record InProcess(Map<Integer, SizeFigures> bySize) {
        double imagesPerSecond(int n) {
            return bySize.get(n).imagesPerSecond();
        }

        /** The highest in-process rate of any size measured: the figure the goals compare with. */
        double bestImagesPerSecond() {
            return bySize.values().stream().mapToDouble(SizeFigures::imagesPerSecond).max().orElseThrow();
        }

        List<JsonReport> toJson() {
            return bySize.entrySet().stream().map(e -> new JsonReport().put("n", e.getKey())
                    .put("images_per_s", e.getValue().imagesPerSecond()).put("median_call_ms", e.getValue().medianCallMillis())).toList();
        }
    }

    /**
     * @param clientCpuMillis CPU time this process spent while the clients ran: on a machine shared with the service,
     *                        what the clients take from it
     */
    private record Result(long requests, long errors, double imagesPerSecond, long[] nanos, double clientCpuMillis) {
        double percentile(double p) {
            if (nanos.length == 0) {
                return Double.NaN;
            }
            return nanos[(int) Math.min(nanos.length - 1, Math.ceil(p * nanos.length) - 1)] / 1e6;
        }
    }

    /** Closed-loop clients (each sends its next request when the last is answered) for {@code time}. */
    private Result load(SamplerClient client, int n, int clients, Duration time) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong errors = new AtomicLong();
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        long end = start + time.toNanos();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long base = 1_000_000L * c;
            futures.add(pool.submit(() -> {
                long[] lat = new long[1024];
                int count = 0;
                var stub = client.stub();
                for (long i = 0; System.nanoTime() < end; i++) {
                    long t = System.nanoTime();
                    try {
                        stub.withDeadlineAfter(60, TimeUnit.SECONDS).generate(GenerateRequest.newBuilder().setRunId(run).setN(n)
                                .setSeed(base + i * n).build());
                    } catch (StatusRuntimeException e) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (count == lat.length) {
                        lat = Arrays.copyOf(lat, 2 * count);
                    }
                    lat[count++] = System.nanoTime() - t;
                }
                return Arrays.copyOf(lat, count);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdownNow();
        long[] nanos = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(nanos.length, errors.get(), nanos.length * (double) n / seconds, nanos,
                (processCpuNanos() - cpuStart) / 1e6);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
