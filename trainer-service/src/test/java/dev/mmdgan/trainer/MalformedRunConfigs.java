package dev.mmdgan.trainer;

import com.google.protobuf.UnknownFieldSet;
import dev.mmdgan.api.v1.ArchitectureSpec;
import dev.mmdgan.api.v1.DatasetSpec;
import dev.mmdgan.api.v1.KernelSpec;
import dev.mmdgan.api.v1.LearningRateDecaySpec;
import dev.mmdgan.api.v1.LossSpec;
import dev.mmdgan.api.v1.NoiseDistribution;
import dev.mmdgan.api.v1.OptimizerSpec;
import dev.mmdgan.api.v1.RegularizerSpec;
import dev.mmdgan.api.v1.RunConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Malformed StartRun configs, each with the start of the INVALID_ARGUMENT message it must get. Every case changes
 * {@link #tinyMoons()}, a valid config, in one way. Shared by the validator's unit test and the gRPC-level tests.
 */
public final class MalformedRunConfigs {

    /** A config change and the start of the message that refuses it. */
    public record Case(String expectedPrefix, UnaryOperator<RunConfig.Builder> change) {
    }

    private MalformedRunConfigs() {
    }

    /** A tiny valid run: 10 steps of mlp-2d on moons with batches of 32. */
    public static RunConfig.Builder tinyMoons() {
        return RunConfig.newBuilder().setDataset(DatasetSpec.newBuilder().setName("moons"))
                .setArchitecture(ArchitectureSpec.newBuilder().setName("mlp-2d")).setSteps(10).setBatchSize(32).setNCritic(1)
                .setCheckpointEvery(10).setMetricsEvery(5);
    }

    /**
     * The cases. The data files they name are written into {@code dataRoot}, which must be the trainer's (only) data
     * root; the cases about paths outside the roots name files elsewhere.
     */
    public static List<Case> cases(Path dataRoot) {
        List<Case> cases = new ArrayList<>();
        dataset(cases);
        paths(cases, dataRoot.toAbsolutePath().normalize());
        npyFiles(cases, dataRoot);
        folders(cases, dataRoot);
        dataOptions(cases, dataRoot);
        architecture(cases);
        loss(cases);
        kernel(cases);
        training(cases);
        evaluator(cases);
        return Collections.unmodifiableList(cases);
    }

    private static void add(List<Case> cases, String expected, UnaryOperator<RunConfig.Builder> change) {
        cases.add(new Case(expected, change));
    }

    private static UnaryOperator<RunConfig.Builder> data(String name, String path) {
        return c -> c.setDataset(DatasetSpec.newBuilder().setName(name).setPath(path));
    }

    private static UnaryOperator<RunConfig.Builder> npy(Path file) {
        return data("npy", file.toString());
    }

    private static void dataset(List<Case> cases) {
        add(cases, "config.dataset.name is required; allowed: moons, fashion-mnist, mnist, cifar10, npy",
                c -> c.setDataset(DatasetSpec.getDefaultInstance()));
        add(cases, "config.dataset.name: unknown data set 'imagenet'; allowed: moons", data("imagenet", ""));
        // User text is quoted up to 64 characters only.
        add(cases, "config.dataset.name: unknown data set '" + "x".repeat(64) + "…'; allowed: moons", data("x".repeat(10_000), ""));
        add(cases, "config.dataset.path is required for data set npy", data("npy", ""));
        add(cases, "config.dataset.path is required for data set mnist", data("mnist", ""));
        add(cases, "config.dataset.path does not apply to data set moons", data("moons", "/tmp/moons"));
        add(cases, "config.dataset.path must be at most 4096 characters, got 5000", data("npy", "/" + "a".repeat(4999)));
    }

    /** Paths outside the root get one message, whether or not they exist. */
    private static void paths(List<Case> cases, Path root) {
        String outside = "config.dataset.path must be under one of the trainer's data roots [" + root + "]";
        add(cases, outside, data("npy", "/nonexistent.npy"));
        add(cases, outside, data("npy", "/etc/passwd"));
        add(cases, outside, data("npy", "relative.npy"));
        add(cases, outside, data("npy", root + "/../../etc/passwd"));
        add(cases, outside, data("npy", root + "/bad\0name.npy"));
        add(cases, outside, data("cifar10", "/"));
        add(cases, outside, data("mnist", "/etc"));
        add(cases, outside, data("fashion-mnist", "/nonexistent/fashion"));
        Path escape = root.resolve("escape.npy");
        try {
            Files.deleteIfExists(escape);
            Files.createSymbolicLink(escape, Path.of("/etc/passwd"));
            add(cases, outside, npy(escape));
            Path dangling = root.resolve("dangling.npy");
            Files.deleteIfExists(dangling);
            Files.createSymbolicLink(dangling, Path.of("/nonexistent-target.npy"));
            add(cases, outside, npy(dangling));
        } catch (IOException | UnsupportedOperationException e) {
            // no symbolic links on this file system: nothing to escape through
        }
        add(cases, "config.dataset.path: no such file on the trainer: ", npy(root.resolve("missing.npy")));
        add(cases, "config.dataset.path: no such file on the trainer: ", npy(root));
        add(cases, "config.dataset.path: no such folder on the trainer: ", data("fashion-mnist", root.resolve("missing").toString()));
    }

    private static void npyFiles(List<Case> cases, Path root) {
        String f4 = "'descr': '<f4', 'fortran_order': False, 'shape': ";
        add(cases, "config.dataset.path: the file has 30 rows, 3 of them held out (holdout_fraction 0.1), which leaves 27 for"
                + " training; batch_size 32 needs at least 32", npy(write(root, "few.npy", f4 + "(30, 2)", floats(60))));
        add(cases, "config.dataset.path: the file has 10 rows; at least 20 are needed",
                npy(write(root, "tiny.npy", f4 + "(10, 2)", floats(20))));
        float[] nan = new float[200];
        nan[57 * 2 + 1] = Float.NaN;
        add(cases, "config.dataset.path: the file contains NaN at row 57, column 1; all values must be finite",
                npy(write(root, "nan.npy", f4 + "(100, 2)", nan)));
        ByteBuffer inf = ByteBuffer.allocate(8 * 200).order(ByteOrder.LITTLE_ENDIAN);
        inf.putDouble(8 * 6, Double.POSITIVE_INFINITY);
        add(cases, "config.dataset.path: the file contains Infinity at row 3, column 0",
                npy(write(root, "inf.npy", "'descr': '<f8', 'fortran_order': False, 'shape': (100, 2)", inf.array())));
        add(cases, "config.dataset.path: the file has a negative dimension in its shape (-5, 2)",
                npy(write(root, "negative.npy", f4 + "(-5, 2)", floats(10))));
        add(cases, "config.dataset.path: the file has shape (600000000, 2), 4800000000 data bytes; at most 2 GiB",
                npy(write(root, "huge.npy", f4 + "(600000000, 2)", floats(10))));
        add(cases, "config.dataset.path: the file has shape (3000000000, 2), more than 2147483647 values",
                npy(write(root, "huger.npy", f4 + "(3000000000, 2)", floats(10))));
        add(cases, "config.dataset.path: the file is not a .npy file", npy(text(root.resolve("text.npy"), "hello, world")));
        add(cases, "config.dataset.path: the file has dtype '<i8'; only float32",
                npy(write(root, "int.npy", "'descr': '<i8', 'fortran_order': False, 'shape': (100, 2)", new byte[1600])));
        add(cases, "config.dataset.path: the file has dtype '" + "f".repeat(64) + "…'",
                npy(write(root, "dtype.npy", "'descr': '" + "f".repeat(300) + "', 'fortran_order': False, 'shape': (100, 2)",
                        new byte[800])));
        add(cases, "config.dataset.path: the file is in Fortran order",
                npy(write(root, "fortran.npy", "'descr': '<f4', 'fortran_order': True, 'shape': (100, 2)", floats(200))));
        add(cases, "config.dataset.path: the file is truncated: shape (100, 2) needs 800 data bytes, found 40",
                npy(write(root, "truncated.npy", f4 + "(100, 2)", floats(10))));
        add(cases, "config.dataset.path: the file has a header with an unreadable shape (100, two)",
                npy(write(root, "unreadable.npy", f4 + "(100, two)", floats(10))));
        add(cases, "config.dataset.path: the file has shape [100, 2, 3]; expected [n, features] or [n, channels, height, width]",
                npy(write(root, "rank3.npy", f4 + "(100, 2, 3)", floats(600))));
        add(cases, "config.dataset.path: the file has a header of 1048576 bytes; at most 65536 are supported",
                npy(bigHeader(root.resolve("bigheader.npy"))));
        add(cases, "config.architecture.name: mlp-2d makes samples of shape [2] but data set npy has samples of shape [3]",
                npy(write(root, "three.npy", f4 + "(100, 3)", floats(300))));
        add(cases, "config.architecture.name: mlp-2d makes samples of shape [2] but data set npy has samples of shape [1, 28, 28]",
                npy(write(root, "images.npy", f4 + "(40, 1, 28, 28)", floats(40 * 784))));
        Path flat = write(root, "flat.npy", f4 + "(40, 784)", floats(40 * 784));
        add(cases, "config.architecture.name: dcgan-28 makes samples of shape [1, 28, 28] but data set npy has samples of shape"
                + " [784]", c -> npy(flat).apply(c).setArchitecture(ArchitectureSpec.newBuilder().setName("dcgan-28")));
    }

    private static void folders(List<Case> cases, Path root) {
        Path empty = dir(root.resolve("empty"));
        add(cases, "config.dataset.path: the folder has no data_batch_1.bin; cifar10 needs data_batch_1.bin, data_batch_2.bin,",
                data("cifar10", empty.toString()));
        add(cases, "config.dataset.path: the folder has no train-images-idx3-ubyte[.gz]; mnist needs train-images-idx3-ubyte[.gz]"
                + " and t10k-images-idx3-ubyte[.gz]", data("mnist", empty.toString()));
        Path cifar = dir(root.resolve("cifar-short"));
        for (String f : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin",
                "test_batch.bin")) {
            text(cifar.resolve(f), f.startsWith("data_batch_1") ? "short" : "x".repeat(3073));
        }
        add(cases, "config.dataset.path: the folder's data_batch_1.bin has 5 bytes, not a whole number of 3073-byte CIFAR-10"
                + " records", data("cifar10", cifar.toString()));
        Path small = dir(root.resolve("mnist-2x2"));
        idx(small.resolve("train-images-idx3-ubyte"), 2);
        idx(small.resolve("t10k-images-idx3-ubyte"), 2);
        add(cases, "config.dataset.path: the folder's train-images-idx3-ubyte holds 2×2 images; mnist needs 28×28",
                data("mnist", small.toString()));
        Path noTest = dir(root.resolve("mnist-train-only"));
        idx(noTest.resolve("train-images-idx3-ubyte"), 28);
        add(cases, "config.dataset.path: the folder has no t10k-images-idx3-ubyte[.gz]; fashion-mnist needs",
                data("fashion-mnist", noTest.toString()));
        Path badMagic = dir(root.resolve("mnist-bad-magic"));
        text(badMagic.resolve("train-images-idx3-ubyte"), "not an idx file at all");
        idx(badMagic.resolve("t10k-images-idx3-ubyte"), 28);
        add(cases, "config.dataset.path: the folder's train-images-idx3-ubyte is not an IDX image file",
                data("mnist", badMagic.toString()));
    }

    private static void dataOptions(List<Case> cases, Path root) {
        add(cases, "config.dataset.holdout_fraction must be in (0, 0.5], got NaN", holdout("moons", "", Double.NaN));
        add(cases, "config.dataset.holdout_fraction must be in (0, 0.5], got 0.9", holdout("moons", "", 0.9));
        add(cases, "config.dataset.holdout_fraction must be in (0, 0.5], got 0.0", holdout("moons", "", 0));
        Path mnist = dir(root.resolve("mnist-ok"));
        idx(mnist.resolve("train-images-idx3-ubyte"), 28);
        idx(mnist.resolve("t10k-images-idx3-ubyte"), 28);
        add(cases, "config.dataset.holdout_fraction does not apply to data set mnist, which holds out its own test files",
                c -> holdout("mnist", mnist.toString(), 0.2).apply(c).setArchitecture(ArchitectureSpec.newBuilder().setName("dcgan-28")));
        Path hundred = write(root, "hundred.npy", "'descr': '<f4', 'fortran_order': False, 'shape': (100, 2)", floats(200));
        add(cases, "config.dataset.path: the file has 100 rows, 50 of them held out (holdout_fraction 0.5), which leaves 50",
                c -> holdout("npy", hundred.toString(), 0.5).apply(c).setBatchSize(64));
        add(cases, "config.dataset.moons_points must be in [64, 10000000] (at least 2 × batch_size), got -1",
                c -> c.setDataset(DatasetSpec.newBuilder().setName("moons").setMoonsPoints(-1)));
        add(cases, "config.dataset.moons_points must be in [64, 10000000] (at least 2 × batch_size), got 63",
                c -> c.setDataset(DatasetSpec.newBuilder().setName("moons").setMoonsPoints(63)));
        add(cases, "config.dataset.moons_points must be in [64, 10000000] (at least 2 × batch_size), got 10000001",
                c -> c.setDataset(DatasetSpec.newBuilder().setName("moons").setMoonsPoints(10_000_001)));
        add(cases, "config.dataset.moons_noise must be finite and ≥ 0, got NaN",
                c -> c.setDataset(DatasetSpec.newBuilder().setName("moons").setMoonsNoise(Double.NaN)));
        add(cases, "config.dataset.moons_noise must be finite and ≥ 0, got -0.1",
                c -> c.setDataset(DatasetSpec.newBuilder().setName("moons").setMoonsNoise(-0.1)));
        add(cases, "config.dataset.moons_points does not apply to data set npy",
                c -> c.setDataset(DatasetSpec.newBuilder().setName("npy").setPath(hundred.toString())
                        .setMoonsPoints(1000)));
    }

    private static UnaryOperator<RunConfig.Builder> holdout(String name, String path, double fraction) {
        return c -> c.setDataset(DatasetSpec.newBuilder().setName(name).setPath(path).setHoldoutFraction(fraction));
    }

    private static UnaryOperator<RunConfig.Builder> arch(ArchitectureSpec.Builder a) {
        return c -> c.setArchitecture(a);
    }

    private static ArchitectureSpec.Builder mlp() {
        return ArchitectureSpec.newBuilder().setName("mlp-2d");
    }

    private static void architecture(List<Case> cases) {
        add(cases, "config.architecture.name is required; allowed: mlp-2d, dcgan-28, dcgan-32, dcgan-64",
                c -> c.setArchitecture(ArchitectureSpec.getDefaultInstance()));
        add(cases, "config.architecture.name: unknown architecture 'resnet'; allowed: mlp-2d",
                arch(ArchitectureSpec.newBuilder().setName("resnet")));
        add(cases, "config.architecture.name: dcgan-32 makes samples of shape [3, 32, 32] but data set moons has samples of shape [2]",
                arch(ArchitectureSpec.newBuilder().setName("dcgan-32")));
        add(cases, "config.architecture.critic_output_dim must be ≥ 1, got 0", arch(mlp().setCriticOutputDim(0)));
        add(cases, "config.architecture.critic_output_dim must be ≥ 1, got -3", arch(mlp().setCriticOutputDim(-3)));
        add(cases, "config.architecture.critic_output_dim must be ≤ 4096, got 10000000", arch(mlp().setCriticOutputDim(10_000_000)));
        add(cases, "config.architecture.noise_dim is fixed by the preset", arch(mlp().setNoiseDim(8)));
        add(cases, "config.architecture.noise: unknown value 77; allowed: NOISE_DISTRIBUTION_NORMAL, NOISE_DISTRIBUTION_UNIFORM",
                arch(mlp().setNoiseValue(77)));
        add(cases, "config.architecture.noise NOISE_DISTRIBUTION_UNIFORM is not supported yet",
                arch(mlp().setNoise(NoiseDistribution.NOISE_DISTRIBUTION_UNIFORM)));
        add(cases, "config.architecture.generator_batch_norm: mlp-2d has no batch norm in its generator; leave it unset",
                arch(mlp().setGeneratorBatchNorm(true)));
    }

    private static UnaryOperator<RunConfig.Builder> loss(LossSpec.Builder l) {
        return c -> c.setLoss(l);
    }

    private static void loss(List<Case> cases) {
        add(cases, "config.loss.name: unknown loss 'wgan'; allowed: mmd, mmd-gp", loss(LossSpec.newBuilder().setName("wgan")));
        add(cases, "config.loss.gradient_penalty must be finite and ≥ 0, got NaN",
                loss(LossSpec.newBuilder().setName("mmd-gp").setGradientPenalty(Double.NaN)));
        add(cases, "config.loss.gradient_penalty must be finite and ≥ 0, got -1.0",
                loss(LossSpec.newBuilder().setName("mmd-gp").setGradientPenalty(-1)));
        add(cases, "config.loss.gradient_penalty does not apply to loss mmd; leave it unset",
                loss(LossSpec.newBuilder().setName("mmd").setGradientPenalty(10)));
        add(cases, "config.loss.l2_penalty must be finite and ≥ 0, got -1.0", loss(LossSpec.newBuilder().setL2Penalty(-1)));
        add(cases, "config.loss.smmd_lambda must be finite and > 0, got -Infinity",
                loss(LossSpec.newBuilder().setName("smmd").setSmmdLambda(Double.NEGATIVE_INFINITY)));
        add(cases, "config.loss.smmd_lambda is not configurable yet", loss(LossSpec.newBuilder().setName("smmd").setSmmdLambda(5)));
        add(cases, "config.loss.rep_gp_lambda is not configurable yet", loss(LossSpec.newBuilder().setRepGpLambda(0.2)));
        add(cases, "config.loss.weight_clip must be finite and > 0, got 0.0", loss(LossSpec.newBuilder().setWeightClip(0)));
        add(cases, "config.loss.smmd_variant: unknown variant 'fast'; allowed: grad, value_and_grad",
                loss(LossSpec.newBuilder().setName("smmd").setSmmdVariant("fast")));
        add(cases, "config.loss.smmd_variant does not apply to loss mmd", loss(LossSpec.newBuilder().setSmmdVariant("grad")));
        add(cases, "config.loss.mmd_lambda must be finite, got NaN",
                loss(LossSpec.newBuilder().setName("mmd-lambda").setMmdLambda(Double.NaN)));
        add(cases, "config.loss.mmd_lambda does not apply to loss mmd", loss(LossSpec.newBuilder().setMmdLambda(0.3)));
    }

    private static UnaryOperator<RunConfig.Builder> kernel(KernelSpec.Builder k) {
        return c -> c.setKernel(k);
    }

    private static void kernel(List<Case> cases) {
        add(cases, "config.kernel.name: unknown kernel 'gauss'; allowed:", kernel(KernelSpec.newBuilder().setName("gauss")));
        add(cases, "config.kernel.sigmas must be finite and > 0, got -1.0", kernel(KernelSpec.newBuilder().setName("rbf-mix").addSigmas(-1)));
        add(cases, "config.kernel.sigmas may hold at most 32 values, got 33",
                kernel(KernelSpec.newBuilder().setName("rbf-mix").addAllSigmas(Collections.nCopies(33, 1.0))));
        add(cases, "config.kernel.alphas may hold at most 32 values, got 40",
                kernel(KernelSpec.newBuilder().addAllAlphas(Collections.nCopies(40, 1.0))));
        add(cases, "config.kernel.alphas must be finite and > 0, got NaN", kernel(KernelSpec.newBuilder().addAlphas(Double.NaN)));
        add(cases, "config.kernel.sigmas: kernel 'rq-mix' takes no sigmas", kernel(KernelSpec.newBuilder().setName("rq-mix").addSigmas(1)));
        add(cases, "config.kernel.sigmas: kernel 'laplace' takes one sigma, got 2",
                kernel(KernelSpec.newBuilder().setName("laplace").addSigmas(1).addSigmas(2)));
        add(cases, "config.kernel.alphas: kernel 'rbf-mix' takes no alphas", kernel(KernelSpec.newBuilder().setName("rbf-mix").addAlphas(1)));
        add(cases, "config.kernel does not apply to loss swgan, which brings its own kernel",
                c -> c.setLoss(LossSpec.newBuilder().setName("swgan")).setKernel(KernelSpec.newBuilder().setName("rbf-mix")));
        add(cases, "config.kernel.dot_weight is not configurable yet", kernel(KernelSpec.newBuilder().setName("rq-mix-dot").setDotWeight(2)));
        add(cases, "config.kernel.poly_degree must be in [1, 10], got 0", kernel(KernelSpec.newBuilder().setName("poly").setPolyDegree(0)));
        add(cases, "config.kernel.poly_gamma must be finite and > 0, got Infinity",
                kernel(KernelSpec.newBuilder().setName("poly").setPolyGamma(Double.POSITIVE_INFINITY)));
        add(cases, "config.kernel.upper_bound must be finite and > lower_bound (0.25), got 0.1",
                kernel(KernelSpec.newBuilder().setName("rbf-b").setUpperBound(0.1)));
    }

    private static void training(List<Case> cases) {
        add(cases, "config.steps must be in [1, 10000000], got 0", c -> c.setSteps(0));
        add(cases, "config.steps must be in [1, 10000000], got 100000000", c -> c.setSteps(100_000_000));
        add(cases, "config.batch_size must be in [2, 4096] (unbiased MMD² needs pairs), got 1", c -> c.setBatchSize(1));
        add(cases, "config.batch_size must be in [2, 4096] (unbiased MMD² needs pairs), got 1000000", c -> c.setBatchSize(1_000_000));
        add(cases, "config.n_critic must be in [1, 100], got 0", c -> c.setNCritic(0));
        add(cases, "config.optimizer.lr_generator must be in (0, 1), got -0.001",
                c -> c.setOptimizer(OptimizerSpec.newBuilder().setLrGenerator(-1e-3)));
        add(cases, "config.optimizer.lr_critic must be in (0, 1), got NaN", c -> c.setOptimizer(OptimizerSpec.newBuilder().setLrCritic(Double.NaN)));
        add(cases, "config.optimizer.beta1 must be in [0, 1), got NaN", c -> c.setOptimizer(OptimizerSpec.newBuilder().setBeta1(Double.NaN)));
        add(cases, "config.optimizer.beta2 must be in [0, 1), got 1.0", c -> c.setOptimizer(OptimizerSpec.newBuilder().setBeta2(1)));
        add(cases, "config.optimizer.epsilon is not configurable", c -> c.setOptimizer(OptimizerSpec.newBuilder().setEpsilon(1e-7)));
        add(cases, "config.regularizers.spectral_norm_constant must be > 0, got 0.0",
                c -> c.setRegularizers(RegularizerSpec.newBuilder().setSpectralNormConstant(0)));
        add(cases, "config.regularizers.spectral_norm_constant does not apply to spectral_norm SPECTRAL_NORM_PIM",
                c -> c.setRegularizers(RegularizerSpec.newBuilder().setSpectralNorm(dev.mmdgan.api.v1.SpectralNorm.SPECTRAL_NORM_PIM)
                        .setSpectralNormConstant(2)));
        add(cases, "config.regularizers.spectral_norm: unknown value 99; allowed:",
                c -> c.setRegularizers(RegularizerSpec.newBuilder().setSpectralNormValue(99)));
        add(cases, "config.regularizers.gradient_clip must be ≥ 0 (0 = off), got -1.0",
                c -> c.setRegularizers(RegularizerSpec.newBuilder().setGradientClip(-1)));
        add(cases, "config.regularizers.gradient_clip must be ≥ 0 (0 = off), got NaN",
                c -> c.setRegularizers(RegularizerSpec.newBuilder().setGradientClip(Double.NaN)));
        add(cases, "config.checkpoint_every must be ≥ 0 (0 = only at the end), got -5", c -> c.setCheckpointEvery(-5));
        add(cases, "config.metrics_every must be ≥ 1, got 0", c -> c.setMetricsEvery(0));
        add(cases, "config.display_name must be at most 256 characters, got 300", c -> c.setDisplayName("n".repeat(300)));
        add(cases, "config.dataset has fields this trainer does not know (numbers [99])",
                c -> c.setDataset(DatasetSpec.newBuilder().setName("moons").setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build())));
    }

    private static UnaryOperator<RunConfig.Builder> decay(LearningRateDecaySpec.Builder d) {
        return c -> c.setLrDecay(d);
    }

    private static void evaluator(List<Case> cases) {
        add(cases, "config.evaluation_every must be ≥ 0 (0 = never), got -7", c -> c.setEvaluationEvery(-7));
        add(cases, "config.evaluation_every (500) must be a multiple of config.checkpoint_every (200)",
                c -> c.setCheckpointEvery(200).setEvaluationEvery(500));
        add(cases, "config.evaluation_every (15) must be a multiple of config.checkpoint_every (10)",
                c -> c.setEvaluationEvery(15));
        add(cases, "config.evaluation_every (7) picks no checkpoint: with checkpoint_every 0 the only one is at step",
                c -> c.setCheckpointEvery(0).setEvaluationEvery(7));
        add(cases, "config.lr_decay's rule (factor, floor, window, max_failures, p_threshold) does not apply to a run with "
                + "lr_decay.enabled false", decay(LearningRateDecaySpec.newBuilder().setEnabled(false).setWindow(4)));
        add(cases, "config.lr_decay.factor must be in (0, 1), got NaN", decay(LearningRateDecaySpec.newBuilder().setFactor(Double.NaN)));
        add(cases, "config.lr_decay.factor must be in (0, 1), got 1.0", decay(LearningRateDecaySpec.newBuilder().setFactor(1)));
        add(cases, "config.lr_decay.floor must be in [0, 1), got NaN", decay(LearningRateDecaySpec.newBuilder().setFloor(Double.NaN)));
        add(cases, "config.lr_decay.window must be in [1, 1000], got 0", decay(LearningRateDecaySpec.newBuilder().setWindow(0)));
        add(cases, "config.lr_decay.max_failures must be in [1, 1000], got 5000",
                decay(LearningRateDecaySpec.newBuilder().setMaxFailures(5000)));
        add(cases, "config.lr_decay.p_threshold must be in (0, 1), got NaN",
                decay(LearningRateDecaySpec.newBuilder().setPThreshold(Double.NaN)));
    }

    // ---- data files -------------------------------------------------------------------------------------------

    private static float[] floats(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i % 7) / 7f;
        }
        return v;
    }

    private static Path write(Path root, String name, String dict, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return write(root, name, dict, b.array());
    }

    /** A version 1.0 .npy file with the header dictionary {@code {dict, }} and raw data bytes. */
    private static Path write(Path root, String name, String dict, byte[] data) {
        String text = "{" + dict + ", }";
        int unpadded = 10 + text.length() + 1;
        String header = text + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return bytes(root.resolve(name), b.array());
    }

    /** A version 2.0 file announcing a 1 MiB header it does not have. */
    private static Path bigHeader(Path file) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(1 << 20);
        return bytes(file, b.array());
    }

    /** An IDX image file of one blank side×side image. */
    private static void idx(Path file, int side) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x00000803);
            out.writeInt(1);
            out.writeInt(side);
            out.writeInt(side);
            out.write(new byte[side * side]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes(file, bytes.toByteArray());
    }

    private static Path text(Path file, String text) {
        return bytes(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static Path bytes(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path dir(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
