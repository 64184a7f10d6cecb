package dev.mmdgan.cli;

import dev.mmdgan.engine.features.FeatureNetImporter;
import dev.mmdgan.engine.features.FeatureNetManifest;
import dev.mmdgan.engine.features.FeatureNetTrainer;
import dev.mmdgan.engine.features.FeatureNetTrainingOptions;
import dev.mmdgan.engine.features.FeatureNetworks;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mmdgan features ...}: the feature networks KID is computed on. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Feature networks for KID: train the standard classifier of a data set, or import your own."},
        subcommands = {FeaturesCommand.Train.class, FeaturesCommand.Import.class, FeaturesCommand.Floor.class})
final class FeaturesCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train the standard feature network of an image data set (a small CNN on the training split),",
                    "report its accuracy on the test split (fails below --min-accuracy) and write the artifact",
                    "(graph.sd + feature-net.properties) to DIR/NAME/VERSION, e.g. feature-nets/fashion-mnist-cnn/v1."})
    static final class Train extends ReportingCommand {

        @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "fashion-mnist or mnist (default: ${DEFAULT-VALUE}).")
        String dataset;

        @Option(names = "--data", paramLabel = "DIR", description = "Folder with the IDX files (default for fashion-mnist: Debian's package folder).")
        Path data;

        @Option(names = "--out", defaultValue = "feature-nets", paramLabel = "DIR",
                description = "Artifacts root; the network goes to DIR/NAME/VERSION (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--epochs", defaultValue = "" + FeatureNetTrainingOptions.DEFAULT_EPOCHS,
                description = "Passes over the training split (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--seed", defaultValue = "" + FeatureNetTrainingOptions.DEFAULT_SEED, description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--min-accuracy", defaultValue = "" + FeatureNetTrainingOptions.DEFAULT_MIN_ACCURACY,
                description = "Fail below this test accuracy (default: ${DEFAULT-VALUE}).")
        double minAccuracy;

        @Option(names = "--train-limit", defaultValue = "0", hidden = true, description = "Train on the first N images only (tests).")
        int trainLimit;

        @Option(names = "--test-limit", defaultValue = "0", hidden = true, description = "Test on the first N images only (tests).")
        int testLimit;

        @Override
        JsonReport report() {
            FeatureNetTrainingOptions options = FeatureNetTrainingOptions.defaults(dataset, data).withEpochs(epochs).withSeed(seed)
                    .withMinAccuracy(minAccuracy).withLimits(trainLimit, testLimit);
            Path dir = out.resolve(FeatureNetworks.standardName(dataset)).resolve(FeatureNetworks.VERSION);
            ProgressBar bar = ProgressBar.onStderr();
            FeatureNetTrainer.Result r;
            try {
                r = FeatureNetTrainer.train(options, dir,
                        (epoch, all, batch, batches, loss) -> bar.update((epoch - 1L) * batches + batch, (long) all * batches,
                                String.format("epoch %d/%d loss %.4f", epoch, all, loss)));
            } catch (FeatureNetTrainer.BelowRequiredAccuracy e) {
                bar.finish();
                throw new CliErrors.Failure(e.getMessage() + "; train longer (--epochs) or with another --seed");
            }
            bar.finish();
            return new JsonReport()
                    .put("feature_network", r.manifest().id())
                    .put("kid_label", "kid@" + r.manifest().id())
                    .put("dir", r.dir().toString())
                    .put("test_accuracy", r.testAccuracy())
                    .put("train_images", r.trainImages())
                    .put("test_images", r.testImages())
                    .put("feature_dim", r.manifest().featureDim())
                    .put("dataset_sha256", r.manifest().datasetSha256())
                    .put("graph_sha256", r.manifest().graphSha256())
                    .put("seconds", r.seconds());
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Make a feature network of your own ONNX model (a .onnx file) or SameDiff graph (SameDiff.save's",
                    "file; convert TensorFlow models with SameDiff's importer first): checks it on the input shape and",
                    "writes the artifact to DIR/NAME/VERSION. Use it with `evaluate --feature-net` and `features floor",
                    "--feature-net`. Reading an ONNX model takes 10 to 30 s."})
    static final class Import extends ReportingCommand {

        @Option(names = "--graph", required = true, paramLabel = "FILE", description = "The ONNX model (FILE.onnx) or SameDiff graph file.")
        Path graph;

        @Option(names = "--input", required = true, paramLabel = "NAME", description = "The graph's input placeholder (an ONNX model's input name).")
        String input;

        @Option(names = "--output", required = true, paramLabel = "NAME", description = "The variable that holds the features, [n, d] (an ONNX tensor's name).")
        String output;

        @Option(names = "--input-shape", required = true, split = ",", paramLabel = "C,H,W",
                description = "Shape of one sample as the graph takes it, e.g. 1,28,28.")
        long[] inputShape;

        @Option(names = "--name", required = true, description = "The network's name: lower-case letters, digits, '.', '_', '-'.")
        String name;

        @Option(names = "--net-version", defaultValue = "v1", description = "Its version, v and digits (default: ${DEFAULT-VALUE}).")
        String version;

        @Option(names = "--input-scale", defaultValue = "1", description = "Samples in [-1, 1] enter the graph as x*scale + offset (default: ${DEFAULT-VALUE}).")
        double inputScale;

        @Option(names = "--input-offset", defaultValue = "0", description = "See --input-scale (default: ${DEFAULT-VALUE}).")
        double inputOffset;

        @Option(names = "--dataset", defaultValue = "none", description = "Data set its weights were fitted on, for the record (default: ${DEFAULT-VALUE}).")
        String dataset;

        @Option(names = "--out", defaultValue = "feature-nets", paramLabel = "DIR",
                description = "Artifacts root; the network goes to DIR/NAME/VERSION (default: ${DEFAULT-VALUE}).")
        Path out;

        @Override
        JsonReport report() {
            Path dir = out.resolve(name).resolve(version);
            FeatureNetManifest m = FeatureNetImporter.importGraph(new FeatureNetImporter.Options(graph, input, output, inputShape, name,
                    version, inputScale, inputOffset, dataset), dir);
            return new JsonReport()
                    .put("feature_network", m.id())
                    .put("kid_label", "kid@" + m.id())
                    .put("dir", dir.toString())
                    .put("feature_dim", m.featureDim())
                    .put("source", m.source())
                    .put("graph_sha256", m.graphSha256());
        }
    }

    @Command(name = "floor", mixinStandardHelpOptions = true,
            description = {"The KID between the two halves of the real test split (first and second 5,000 images) on a",
                    "feature network: what a perfect generator would score with 5,000 samples, the floor of KIDs on it."})
    static final class Floor extends ReportingCommand {

        @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "fashion-mnist or mnist (default: ${DEFAULT-VALUE}).")
        String dataset;

        @Option(names = "--data", paramLabel = "DIR", description = "Folder with the IDX files.")
        Path data;

        @Option(names = "--feature-net", paramLabel = "DIR", description = "Feature network (default: feature-nets/NAME/v1).")
        Path featureNet;

        @Option(names = "--subsets", defaultValue = "100", description = "KID subsets (default: ${DEFAULT-VALUE}).")
        int subsets;

        @Option(names = "--subset-size", defaultValue = "1000", description = "Rows per subset (default: ${DEFAULT-VALUE}).")
        int subsetSize;

        @Override
        JsonReport report() {
            Path dir = featureNet != null ? featureNet
                    : Path.of("feature-nets", FeatureNetworks.standardName(dataset), FeatureNetworks.VERSION);
            try (var net = FeatureNetworks.load(dir)) {
                org.nd4j.linalg.api.ndarray.INDArray test = dev.mmdgan.engine.data.Datasets.referenceSamples(dataset, data,
                        dev.mmdgan.engine.data.DataOptions.DEFAULTS, 0, 0);
                long half = test.rows() / 2;
                var features = net.embed(test);
                var first = features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, half), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
                var second = features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(half, 2 * half), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
                var kid = dev.mmdgan.core.kid.KidReference.kid(first, second,
                        dev.mmdgan.core.kid.KidConfig.defaults().withSubsets(subsets, subsetSize));
                return new JsonReport()
                        .put("feature_network", net.name())
                        .put("kid_label", net.kidLabel())
                        .put("kid_mean", kid.mean())
                        .put("kid_std", kid.std())
                        .put("kid_stderr", kid.stderr())
                        .put("halves", half)
                        .put("subsets", kid.subsets())
                        .put("subset_size", kid.subsetSize());
            }
        }
    }
}
