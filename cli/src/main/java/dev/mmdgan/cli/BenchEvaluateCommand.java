package dev.mmdgan.cli;

import com.google.protobuf.Timestamp;
import dev.mmdgan.api.v1.CheckpointRef;
import dev.mmdgan.api.v1.Evaluation;
import dev.mmdgan.api.v1.KidEstimator;
import dev.mmdgan.api.v1.KidResult;
import dev.mmdgan.api.v1.RelativeTestResult;
import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.kernel.PolynomialKernel;
import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.relative.EvaluationSums;
import dev.mmdgan.core.relative.RelativeSimilarityTest;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.data.Datasets;
import dev.mmdgan.engine.features.FeatureNetwork;
import dev.mmdgan.engine.features.FeatureNetworks;
import dev.mmdgan.engine.features.KidEvaluator;
import dev.mmdgan.engine.features.UntrainedFeatureNetwork;
import dev.mmdgan.engine.model.GeneratorModel;
import dev.mmdgan.engine.pictures.ImageGrid;
import dev.mmdgan.engine.train.RunDefaults;
import dev.mmdgan.engine.train.RunSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.LongStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The time of one evaluation of a checkpoint, part by part, as the evaluator service runs it: generating the samples,
 * embedding them, the KID against the prepared real set, the relative test's sums and test against an earlier
 * evaluation, and a local stand-in for the store and event I/O (building the Evaluation message and the PNG grid as
 * bytes; the service's own S3 and Kafka round trips are measured with the service). Preparing the real set happens once
 * per run and is reported apart. Each figure is the median of {@code --repeats} evaluations after {@code --warmups}
 * unmeasured ones: on 2 cores the JIT compiler keeps compiling the per-evaluation code for several evaluations (the
 * first took 7 s where the fifth took 4.2 s), and a service that evaluates every checkpoint runs warm.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Benchmark one evaluation of a checkpoint (default: a fresh, untrained dcgan-28 on Fashion-MNIST):",
                "generation, features, KID, relative test and a local stand-in for store/event I/O."})
final class BenchEvaluateCommand extends ReportingCommand {

    @Option(names = "--arch", defaultValue = "dcgan-28", description = "Architecture of the fresh checkpoint (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "Time this local checkpoint instead of a fresh one.")
    Path checkpoint;

    @Option(names = "--feature-net", paramLabel = "DIR",
            description = "Feature network (default: feature-nets/NAME/v1 if present, else an untrained network of the same shape: same speed).")
    Path featureNet;

    @Option(names = "--n", defaultValue = "10000", description = "Samples per evaluation (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--relative-n", defaultValue = "2048", description = "Samples in the relative test (default: ${DEFAULT-VALUE}, as the service).")
    int relativeN;

    @Option(names = "--repeats", defaultValue = "3", description = "Measured evaluations; medians are reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--warmups", defaultValue = "3", description = "Unmeasured evaluations first, for the JIT (default: ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--out", defaultValue = "bench-results/bench-evaluate.json", description = "Where to write the figures (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    JsonReport report() throws Exception {
        if (n < 2 || repeats < 1 || warmups < 0 || relativeN < 3 || relativeN > n) {
            throw new IllegalArgumentException("--n must be ≥ 2, --repeats ≥ 1, --warmups ≥ 0 and 3 ≤ --relative-n ≤ --n");
        }
        Path temporary = null;
        try {
            Path dir = checkpoint;
            if (dir == null) {
                temporary = Files.createTempDirectory("mmdgan-bench-evaluate");
                RunSpec spec = RunDefaults.spec("fashion-mnist", null, arch, "mmd-gp", 1); // saved before any step: untrained
                progress("writing a fresh %s checkpoint", arch);
                dir = Checkpoints.save(spec.newTrainer(), spec, temporary);
            } else {
                dir = Checkpoints.resolve(dir);
            }
            RunSpec spec = RunSpec.fromProperties(Checkpoints.metadata(dir));
            try (GeneratorModel model = GeneratorModel.load(dir); FeatureNetwork network = network(spec.dataset(), model.sampleShape())) {
                progress("preparing the real set (%s, feature network %s)", spec.dataset(), network.name());
                INDArray real = Datasets.referenceSamples(spec.dataset(), spec.dataPath(), spec.data(), 0, EvaluateCommand.FRESH_SEED);
                KidEvaluator evaluator = KidEvaluator.prepare(network, real, KidConfig.defaults());
                Kernel kernel = PolynomialKernel.KID.resolved(network.featureDim());
                INDArray relativeReal = rows(evaluator.realFeatures(), relativeN);
                EvaluationSums previous = null;
                double[][] t = new double[6][repeats];
                double kid = 0;
                for (int r = -warmups; r < repeats; r++) {
                    long seed = (r + warmups + 1L) * n;
                    long t0 = System.nanoTime();
                    INDArray samples = model.generate(LongStream.range(seed, seed + n).toArray());
                    long t1 = System.nanoTime();
                    KidEvaluator.Evaluation e = evaluator.evaluate(samples);
                    long t2 = System.nanoTime();
                    EvaluationSums sums = EvaluationSums.of(kernel, relativeReal, rows(e.features(), relativeN));
                    RelativeTestResult relative = previous == null ? RelativeTestResult.getDefaultInstance() : proto(RelativeSimilarityTest.test(sums, previous));
                    long t3 = System.nanoTime();
                    byte[] stored = storeStandIn(model, samples, e, relative);
                    long t4 = System.nanoTime();
                    previous = sums;
                    kid = e.kid().mean();
                    if (r >= 0) {
                        t[0][r] = (t1 - t0) / 1e9;
                        t[1][r] = e.embedSeconds();
                        t[2][r] = e.kidSeconds();
                        t[3][r] = (t3 - t2) / 1e9;
                        t[4][r] = (t4 - t3) / 1e9 + stored.length * 0.0;
                        t[5][r] = (t4 - t0) / 1e9;
                        progress("  evaluation %d: %.2f s", r + 1, t[5][r]);
                    }
                }
                JsonReport report = new JsonReport()
                        .put("total_s", Benchmarks.median(t[5]))
                        .put("generate_s", Benchmarks.median(t[0]))
                        .put("features_s", Benchmarks.median(t[1]))
                        .put("kid_s", Benchmarks.median(t[2]))
                        .put("relative_test_s", Benchmarks.median(t[3]))
                        .put("store_event_serialise_s", Benchmarks.median(t[4]))
                        .put("prepare_real_s", evaluator.prepareSeconds())
                        .put("n", n)
                        .put("warmups", warmups)
                        .put("repeats", repeats)
                        .put("n_real", evaluator.realFeatures().rows())
                        .put("relative_n", relativeN)
                        .put("arch", model.architecture())
                        .put("step", model.step())
                        .put("feature_network", network.name())
                        .put("kid_label", network.kidLabel())
                        .put("kid_mean_last", kid)
                        .put("cpu_cores", Runtime.getRuntime().availableProcessors());
                if (out.getParent() != null) {
                    Files.createDirectories(out.getParent());
                }
                Files.writeString(out, report.toJson() + System.lineSeparator());
                progress("figures written to %s", out);
                return report;
            }
        } finally {
            if (temporary != null) {
                Folders.deleteRecursively(temporary);
            }
        }
    }

    private FeatureNetwork network(String dataset, long[] sampleShape) {
        if (sampleShape.length == 1) {
            return FeatureNetworks.forSamples(sampleShape, null);
        }
        Path dir = featureNet;
        if (dir == null) {
            Path standard = Path.of("feature-nets", FeatureNetworks.standardName(dataset), FeatureNetworks.VERSION);
            if (Files.isDirectory(standard)) {
                dir = standard;
            } else {
                progress("no feature network at %s: timing an untrained network of the same shape", standard);
                return UntrainedFeatureNetwork.of(sampleShape);
            }
        }
        return FeatureNetworks.forSamples(sampleShape, dir);
    }

    /** What the service writes per evaluation, made as bytes here: the Evaluation message and a 64-sample PNG grid. */
    private static byte[] storeStandIn(GeneratorModel model, INDArray samples, KidEvaluator.Evaluation e, RelativeTestResult relative) {
        long now = System.currentTimeMillis();
        Evaluation message = Evaluation.newBuilder()
                .setEvaluationId(java.util.UUID.nameUUIDFromBytes(("bench-" + now).getBytes()).toString())
                .setGeneratorStep(model.step())
                .setCheckpoint(CheckpointRef.newBuilder().setGeneratorStep(model.step()).setUri(model.checkpoint().toString()))
                .setKid(KidResult.newBuilder().setMean(e.kid().mean()).setStd(e.kid().std()).setStderr(e.kid().stderr())
                        .setSubsets(e.kid().subsets()).setSubsetSize(e.kid().subsetSize()).setFeatureDim((int) e.kid().featureDim())
                        .setNReal(e.kid().nReal()).setNFake(e.kid().nFake()).setEstimator(KidEstimator.KID_ESTIMATOR_SUBSETS)
                        .setFeatureNetwork(e.label().substring("kid@".length())))
                .setRelativeTest(relative)
                .setCreatedAt(Timestamp.newBuilder().setSeconds(now / 1000))
                .build();
        byte[] event = message.toByteArray();
        byte[] picture = model.sampleShape().length == 3
                ? ImageGrid.png(rows(samples, 64), model.sampleShape(), 2) : new byte[0];
        byte[] both = new byte[event.length + picture.length];
        System.arraycopy(event, 0, both, 0, event.length);
        System.arraycopy(picture, 0, both, event.length, picture.length);
        return both;
    }

    private static RelativeTestResult proto(dev.mmdgan.core.relative.RelativeTestResult r) {
        return RelativeTestResult.newBuilder().setDiff(r.diff()).setVariance(r.variance()).setRatio(r.ratio()).setPValue(r.pValue()).build();
    }

    private static INDArray rows(INDArray x, int count) {
        return x.get(NDArrayIndex.interval(0, Math.min(count, x.rows())), NDArrayIndex.all()).dup();
    }

    private static void progress(String format, Object... args) {
        System.err.printf(format + "%n", args);
    }
}
