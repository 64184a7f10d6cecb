package dev.mmdgan.cli;

import dev.mmdgan.core.io.NpyArrays;
import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.engine.checkpoint.Checkpoints;
import dev.mmdgan.engine.data.DataOptions;
import dev.mmdgan.engine.data.Datasets;
import dev.mmdgan.engine.features.FeatureNetwork;
import dev.mmdgan.engine.features.FeatureNetworks;
import dev.mmdgan.engine.features.FreshSampleMmd;
import dev.mmdgan.engine.features.KidEvaluator;
import dev.mmdgan.engine.model.GeneratorModel;
import dev.mmdgan.engine.train.RunDefaults;
import dev.mmdgan.engine.train.RunSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        header = "Evaluate a checkpoint offline as the evaluator service does: KID, and MMD² for 2-D data.",
        description = {"Evaluate a checkpoint offline, as the evaluator service does: generate --n samples, embed them with the",
                "data set's feature network and compute the KID against the real held-out set (the test split for",
                "Fashion-MNIST and MNIST; fresh samples for moons, where the MMD² against fresh samples is reported too).",
                "The KID is labelled with the network, e.g. kid@fashion-mnist-cnn-v1.",
                "With --samples and --dataset instead of --checkpoint, samples made elsewhere (another framework's",
                "generator, as bench/pytorch does) are evaluated the same way."})
final class EvaluateCommand extends ReportingCommand {

    /** Seed of the fresh moons points: far from any run's seed, so they are never training points. */
    static final long FRESH_SEED = 0x5eed_f4e5L;

    @Option(names = "--checkpoint", paramLabel = "DIR|s3://…",
            description = "A checkpoint, a run folder (its newest checkpoint; every one with --all-checkpoints), or s3://BUCKET/runs/ID/checkpoints/STEP.")
    String checkpoint;

    @Option(names = "--samples", paramLabel = "X.npy",
            description = "Evaluate these samples instead of a checkpoint's: [n, pixels] or [n, C, H, W], scaled to [-1, 1] like the data.")
    Path samples;

    @Option(names = "--dataset", description = "With --samples: the data set they imitate (fashion-mnist, mnist, cifar10, moons).")
    String dataset;

    @Mixin
    StoreOptions store;

    @Option(names = "--n", defaultValue = "10000", description = "Generated samples (default: ${DEFAULT-VALUE}; with --samples, all the file's rows).")
    int n;

    @Option(names = "--seed", defaultValue = "0", description = "Noise seed of the first sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--feature-net", paramLabel = "DIR",
            description = "Feature network artifact (default: feature-nets/NAME/v1 under the working folder, e.g. feature-nets/fashion-mnist-cnn/v1).")
    Path featureNet;

    @Option(names = "--data", paramLabel = "DIR", description = "Where the run's data set is, if not where the run read it.")
    Path data;

    @Option(names = "--subsets", defaultValue = "100", description = "KID subsets (default: ${DEFAULT-VALUE}).")
    int subsets;

    @Option(names = "--subset-size", defaultValue = "1000", description = "Rows per KID subset (default: ${DEFAULT-VALUE}).")
    int subsetSize;

    @Option(names = "--all-checkpoints", description = "With a local run folder: evaluate every checkpoint, oldest first.")
    boolean all;

    @Option(names = "--record", paramLabel = "FILE.csv",
            description = "Append each evaluation to this CSV (step,kid_mean,kid_std,kid_stderr,n,feature_network); `plot` reads RUN/evaluations.csv.")
    Path record;

    @Override
    JsonReport report() throws IOException {
        if (n < 2) {
            throw new IllegalArgumentException("--n must be ≥ 2, got " + n);
        }
        KidConfig config = KidConfig.defaults().withSubsets(subsets, subsetSize);
        if ((checkpoint == null) == (samples == null)) {
            throw new IllegalArgumentException("give either --checkpoint or --samples (with --dataset)");
        }
        if (samples != null) {
            return evaluateSamples(config);
        }
        if (dataset != null) {
            throw new IllegalArgumentException("--dataset goes with --samples; a checkpoint names its own data set (use --data for"
                    + " where it is)");
        }
        if (all) {
            Path runDir = Path.of(checkpoint);
            List<Path> checkpoints = checkpointsOf(runDir);
            List<JsonReport> results = new ArrayList<>();
            Session session = null;
            try {
                for (Path c : checkpoints) {
                    try (GeneratorModel model = GeneratorModel.load(c)) {
                        if (session == null) {
                            session = Session.open(model, c, featureNet, data, config);
                        }
                        results.add(evaluate(session, model, c.toString()));
                    }
                }
            } finally {
                if (session != null) {
                    session.close();
                }
            }
            return new JsonReport().put("run", runDir.toString()).put("evaluations", results);
        }
        try (CheckpointSource source = CheckpointSource.of(checkpoint, store);
             GeneratorModel model = GeneratorModel.load(source.dir());
             Session session = Session.open(model, source.dir(), featureNet, data, config)) {
            return evaluate(session, model, source.name());
        }
    }

    private JsonReport evaluateSamples(KidConfig config) {
        if (dataset == null) {
            throw new IllegalArgumentException("--samples needs --dataset, the data set the samples imitate");
        }
        if (all) {
            throw new IllegalArgumentException("--all-checkpoints goes with --checkpoint, not --samples");
        }
        long[] shape = Datasets.sampleShape(dataset, data);
        NpyArrays.requireFinite(samples);
        INDArray x = NpyArrays.readArray(samples);
        long pixels = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (x.length() != x.size(0) * pixels) {
            throw new IllegalArgumentException(samples + " has shape " + java.util.Arrays.toString(x.shape()) + "; " + dataset
                    + " samples need " + pixels + " values a row");
        }
        x = x.reshape(x.size(0), pixels).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        if (shape.length > 1 && (x.minNumber().doubleValue() < -1.001 || x.maxNumber().doubleValue() > 1.001)) {
            throw new IllegalArgumentException(samples + " has values in [" + x.minNumber() + ", " + x.maxNumber()
                    + "]; image samples must be scaled to [-1, 1] like the data (x / 127.5 - 1 for bytes)");
        }
        try (Session session = Session.open(shape, dataset, data, RunDefaults.DATA, featureNet, config)) {
            KidEvaluator.Evaluation e = session.evaluator.evaluate(x);
            return kidReport(new JsonReport().put("samples", samples.toString()), session, e, x.rows());
        }
    }

    private JsonReport kidReport(JsonReport report, Session session, KidEvaluator.Evaluation e, long rows) {
        return report.put("dataset", session.dataset)
                .put("n", rows)
                .put("feature_network", session.evaluator.network().name())
                .put("kid_label", e.label())
                .put("kid_mean", e.kid().mean())
                .put("kid_std", e.kid().std())
                .put("kid_stderr", e.kid().stderr())
                .put("subsets", e.kid().subsets())
                .put("subset_size", e.kid().subsetSize())
                .put("n_real", e.kid().nReal())
                .put("real_reference", session.referenceName);
    }

    private JsonReport evaluate(Session session, GeneratorModel model, String name) throws IOException {
        long t0 = System.nanoTime();
        INDArray samples = model.generate(LongStream.range(0, n).map(i -> seed + i).toArray());
        double generateSeconds = (System.nanoTime() - t0) / 1e9;
        KidEvaluator.Evaluation e = session.evaluator.evaluate(samples);
        JsonReport report = kidReport(new JsonReport().put("checkpoint", name).put("step", model.step())
                .put("architecture", model.architecture()), session, e, n);
        if (model.sampleShape().length == 1) {
            FreshSampleMmd.Result mmd = FreshSampleMmd.of(session.realSamples, samples);
            report.put("mmd2_fresh", mmd.mmd2()).put("mmd2_sigma", mmd.sigma()).put("mmd2_rows", mmd.rows());
        }
        report.put("prepare_real_s", session.evaluator.prepareSeconds())
                .put("generate_s", generateSeconds)
                .put("features_s", e.embedSeconds())
                .put("kid_s", e.kidSeconds());
        if (record != null) {
            appendRecord(model.step(), e);
        }
        return report;
    }

    private void appendRecord(long step, KidEvaluator.Evaluation e) throws IOException {
        if (record.getParent() != null) {
            Files.createDirectories(record.getParent());
        }
        boolean fresh = !Files.exists(record);
        String line = (fresh ? "step,kid_mean,kid_std,kid_stderr,n,feature_network\n" : "")
                + String.format(java.util.Locale.ROOT, "%d,%.8g,%.8g,%.8g,%d,%s%n", step, e.kid().mean(), e.kid().std(),
                e.kid().stderr(), n, e.label().substring("kid@".length()));
        Files.writeString(record, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static List<Path> checkpointsOf(Path runDir) {
        Path dir = runDir.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--all-checkpoints needs a local run folder with checkpoints/, got " + runDir);
        }
        try (Stream<Path> dirs = Files.list(dir)) {
            List<Path> found = dirs.filter(d -> d.getFileName().toString().matches("step-\\d+"))
                    .filter(d -> Files.exists(d.resolve(Checkpoints.MANIFEST)))
                    .sorted(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString().substring(5))))
                    .toList();
            if (found.isEmpty()) {
                throw new IllegalArgumentException(runDir + " has no complete checkpoint under checkpoints/");
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The feature network and the prepared real set, shared by the evaluations of one run. */
    private static final class Session implements AutoCloseable {
        final FeatureNetwork network;
        final KidEvaluator evaluator;
        final INDArray realSamples;
        final String dataset;
        final String referenceName;

        private Session(FeatureNetwork network, KidEvaluator evaluator, INDArray realSamples, String dataset, String referenceName) {
            this.network = network;
            this.evaluator = evaluator;
            this.realSamples = realSamples;
            this.dataset = dataset;
            this.referenceName = referenceName;
        }

        static Session open(GeneratorModel model, Path checkpointDir, Path featureNet, Path data, KidConfig config) {
            RunSpec spec = RunSpec.fromProperties(Checkpoints.metadata(checkpointDir));
            return open(model.sampleShape(), spec.dataset(), data != null ? data : spec.dataPath(), spec.data(), featureNet, config);
        }

        static Session open(long[] sampleShape, String dataset, Path dataPath, DataOptions options, Path featureNet,
                            KidConfig config) {
            Path netDir = featureNet;
            if (netDir == null && sampleShape.length > 1) {
                netDir = Path.of("feature-nets", FeatureNetworks.standardName(dataset), FeatureNetworks.VERSION);
                if (!Files.isDirectory(netDir)) {
                    throw new IllegalArgumentException("no feature network at " + netDir + ": train it with `mmdgan features train"
                            + " --dataset " + dataset + "` (a few minutes) or give --feature-net DIR");
                }
            }
            FeatureNetwork network = FeatureNetworks.forSamples(sampleShape, netDir);
            try {
                int realRows = dataset.equals("moons") ? Math.max(2 * config.subsetSize(), 10_000) : 0;
                INDArray real = Datasets.referenceSamples(dataset, dataPath, options, realRows, FRESH_SEED);
                String referenceName = dataset.equals("moons") ? real.rows() + " fresh moons points"
                        : dataset.equals("fashion-mnist") || dataset.equals("mnist") ? dataset + " test split (" + real.rows() + " images)"
                        : dataset + " held-out rows (" + real.rows() + ")";
                return new Session(network, KidEvaluator.prepare(network, real, config), real, dataset, referenceName);
            } catch (RuntimeException e) {
                network.close();
                throw e;
            }
        }

        @Override
        public void close() {
            network.close();
        }
    }
}
