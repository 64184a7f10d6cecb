package dev.mmdgan.cli;

import dev.mmdgan.engine.features.FeatureNetTrainer;
import dev.mmdgan.engine.features.FeatureNetTrainingOptions;
import dev.mmdgan.engine.features.FeatureNetworks;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mmdgan features ...}: the feature networks KID is computed on. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Feature networks for KID: train the standard classifier of a data set, or import your own."},
        subcommands = {FeaturesCommand.Train.class})
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
            ProgressBar bar = new ProgressBar(System.err);
            FeatureNetTrainer.Result r = FeatureNetTrainer.train(options, dir,
                    (epoch, all, batch, batches, loss) -> bar.update((epoch - 1L) * batches + batch, (long) all * batches,
                            String.format("epoch %d/%d loss %.4f", epoch, all, loss)));
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
}
