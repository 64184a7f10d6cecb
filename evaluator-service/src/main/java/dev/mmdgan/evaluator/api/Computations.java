package dev.mmdgan.evaluator.api;

import dev.mmdgan.api.v1.KernelSpec;
import dev.mmdgan.api.v1.KidOptions;
import dev.mmdgan.api.v1.KidResult;
import dev.mmdgan.api.v1.KidUpload;
import dev.mmdgan.api.v1.TwoSampleOptions;
import dev.mmdgan.api.v1.TwoSampleTestResult;
import dev.mmdgan.api.v1.TwoSampleUpload;
import dev.mmdgan.api.v1.UploadKind;
import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.kernel.Kernels;
import dev.mmdgan.core.kid.KidBlocks;
import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.kid.KidReference;
import dev.mmdgan.core.twosample.PermutationTest;
import dev.mmdgan.core.twosample.PermutationTestResult;
import dev.mmdgan.engine.features.FeatureNetwork;
import dev.mmdgan.evaluator.evaluation.FeatureSource;
import dev.mmdgan.evaluator.evaluation.Protos;
import dev.mmdgan.service.api.ApiErrors;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ComputeKid and TwoSampleTest on uploaded rows: the same mmd-core computations as {@code mmdgan kid} / {@code mmd-test}. */
final class Computations {

    /** Rows of both samples of a permutation test together: its pooled Gram matrix is (m + n)² doubles. */
    static final int MAX_POOLED_ROWS = 4096;
    static final int MAX_PERMUTATIONS = 10_000;

    private Computations() {
    }

    /** One ComputeKid call. */
    static final class KidCall {

        private final FeatureSource features;
        private final Uploads uploads = new Uploads("real", "fake");
        private KidOptions options = KidOptions.getDefaultInstance();
        private UploadKind kind = UploadKind.UPLOAD_KIND_FEATURES;
        private FeatureNetwork network;

        KidCall(FeatureSource features) {
            this.features = features;
        }

        void accept(int index, KidUpload m) {
            if (index == 0) {
                options = m.getOptions();
                if (m.getKind() == UploadKind.UPLOAD_KIND_IMAGES) {
                    kind = UploadKind.UPLOAD_KIND_IMAGES;
                } else {
                    Fields.require(m.getKind() == UploadKind.UPLOAD_KIND_FEATURES || m.getKind() == UploadKind.UPLOAD_KIND_UNSPECIFIED,
                            "kind must be UPLOAD_KIND_FEATURES or UPLOAD_KIND_IMAGES, got " + m.getKindValue());
                }
            } else {
                Fields.require(!m.hasOptions(), "message " + index + ": options may only be set in the first message");
                Fields.require(m.getKind() == UploadKind.UPLOAD_KIND_UNSPECIFIED || m.getKind() == kind, "message " + index
                        + ": kind may only be set in the first message");
            }
            if (!m.hasRows()) {
                return;
            }
            boolean images = kind == UploadKind.UPLOAD_KIND_IMAGES;
            uploads.add(index, m.getSet(), m.getRows(), images ? 4 : 2);
            if (images && network == null) {
                long[] shape = m.getRows().getShapeList().stream().skip(1).mapToLong(Long::longValue).toArray();
                network = features.forUploads(shape).orElseThrow(() -> new ApiErrors.FailedPrecondition(
                        "kind UPLOAD_KIND_IMAGES needs a feature network for images of shape " + Arrays.toString(shape)
                                + ", and none is installed in this evaluator; embed the images yourself and upload "
                                + "features (UPLOAD_KIND_FEATURES)"));
            }
        }

        KidResult result() {
            uploads.requireBoth(2);
            INDArray real = uploads.real();
            INDArray fake = uploads.fake();
            String name = "uploaded";
            if (network != null) {
                real = network.embed(real);
                fake = network.embed(fake);
                name = network.name();
            }
            if (options.getBlock()) {
                int block = options.hasSubsetSize()
                        ? (int) Fields.inRange("options.subset_size", options.getSubsetSize(), 2, Integer.MAX_VALUE)
                        : KidBlocks.DEFAULT_MAX_BLOCK_SIZE;
                Fields.require(!options.hasSubsets(), "options.subsets does not apply to the block estimator (options.block)");
                Fields.require(!options.hasSeed(), "options.seed does not apply to the block estimator (options.block)");
                return Protos.kid(KidBlocks.kid(real, fake, block, Fields.kernel("options", options)), name, null);
            }
            KidConfig config = Fields.kid("options", options, Integer.MAX_VALUE);
            try {
                KidReference.checkShapes(real.shape(), fake.shape(), config);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("options.subset_size: " + e.getMessage(), e);
            }
            return Protos.kid(KidReference.kid(real, fake, config), name, config);
        }
    }

    /** One TwoSampleTest call. */
    static final class TwoSampleCall {

        private final Uploads uploads = new Uploads("X", "Y");
        private TwoSampleOptions options = TwoSampleOptions.getDefaultInstance();

        void accept(int index, TwoSampleUpload m) {
            if (index == 0) {
                options = m.getOptions();
            } else {
                Fields.require(!m.hasOptions(), "message " + index + ": options may only be set in the first message");
            }
            if (m.hasRows()) {
                uploads.add(index, m.getSet(), m.getRows(), 2);
                Fields.require(uploads.realRows() + uploads.fakeRows() <= MAX_POOLED_ROWS, "the two samples may hold at most "
                        + MAX_POOLED_ROWS + " rows together, got " + (uploads.realRows() + uploads.fakeRows()) + " so far");
            }
        }

        TwoSampleTestResult result() {
            Kernel kernel = kernel(options.getKernel());
            int permutations = options.hasPermutations()
                    ? (int) Fields.inRange("options.permutations", options.getPermutations(), 1, MAX_PERMUTATIONS)
                    : PermutationTest.DEFAULT_PERMUTATIONS;
            double alpha = PermutationTest.DEFAULT_ALPHA;
            if (options.hasAlpha()) {
                alpha = options.getAlpha();
                Fields.require(alpha > 0 && alpha < 1, "options.alpha must be in (0, 1), got " + alpha);
            }
            uploads.requireBoth(2);
            PermutationTestResult r = new PermutationTest(kernel, permutations, alpha).test(uploads.real(), uploads.fake(),
                    options.getSeed());
            return TwoSampleTestResult.newBuilder().setMmd2(r.mmd2()).setPValue(r.pValue()).setReject(r.reject())
                    .setPermutations(r.permutations()).setThreshold(r.threshold()).setNX(uploads.realRows())
                    .setNY(uploads.fakeRows()).build();
        }

        /** The kernel of the options (default rbf-mix with its default bandwidths). */
        private static Kernel kernel(KernelSpec k) {
            String name = k.getName().isEmpty() ? "rbf-mix" : k.getName();
            Fields.require(Kernels.NAMES.contains(name), "options.kernel.name: unknown kernel '" + Fields.quote(name)
                    + "'; allowed: " + String.join(", ", Kernels.NAMES));
            for (List<Double> values : List.of(k.getSigmasList(), k.getAlphasList())) {
                for (double v : values) {
                    Fields.require(v > 0 && Double.isFinite(v), "options.kernel.sigmas and alphas must be finite and > 0, got " + v);
                }
            }
            Fields.require(!k.hasDotWeight() && !k.hasLowerBound() && !k.hasUpperBound(), "options.kernel.dot_weight, "
                    + "lower_bound and upper_bound are fixed by the kernel's name (rq-mix-dot uses 1; rbf-b 0.25 and 4)");
            if (name.equals("poly")) {
                Fields.require(k.getSigmasCount() == 0 && k.getAlphasCount() == 0, "options.kernel: poly takes no sigmas or alphas");
                return Fields.kernel("options.kernel", KidOptions.newBuilder().setDegree(k.hasPolyDegree() ? k.getPolyDegree() : 3)
                        .setCoef(k.hasPolyCoef() ? k.getPolyCoef() : 1).mergeFrom(k.hasPolyGamma()
                                ? KidOptions.newBuilder().setGamma(k.getPolyGamma()).build() : KidOptions.getDefaultInstance())
                        .build());
            }
            Fields.require(!k.hasPolyDegree() && !k.hasPolyGamma() && !k.hasPolyCoef(), "options.kernel.poly_degree, poly_gamma "
                    + "and poly_coef apply to the poly kernel only, not " + name);
            if (Kernels.maxSigmas(name) == 1) {
                Fields.require(k.getSigmasCount() <= 1, "options.kernel.sigmas: kernel '" + name + "' takes one sigma, got "
                        + k.getSigmasCount());
            }
            try {
                return Kernels.byName(name, k.getSigmasList(), k.getAlphasList());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("options.kernel: " + e.getMessage(), e);
            }
        }
    }
}
