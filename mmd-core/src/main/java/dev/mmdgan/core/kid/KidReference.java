package dev.mmdgan.core.kid;

import dev.mmdgan.core.linalg.Blas;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A real feature set prepared for KID: its random subsets and each subset's within-set kernel sum are
 * computed once, so every later {@link #evaluate} only computes fake–fake and real–fake products.
 *
 * <p>Real and fake subsets come from two independent streams split off the seed, so a one-shot KID
 * ({@link #kid}) and an evaluation against a cached reference give the same numbers.
 */
public final class KidReference {

    private final INDArray real;
    private final KidConfig config;
    private final int[][] realSubsets;
    private final double[] realWithinSums;
    private final PolyGramSums sums;
    private final INDArray realRows;
    private final INDArray fakeRows;

    private KidReference(INDArray real, KidConfig config) {
        this.real = Features.asRowMajorFloat("real", real);
        this.config = config;
        Features.requireEnoughRows("real", real.rows(), config.subsetSize());
        int m = config.subsetSize();
        this.sums = new PolyGramSums(config.kernel(), real.columns());
        this.realRows = Blas.floatMatrix(m, real.columns());
        this.fakeRows = Blas.floatMatrix(m, real.columns());
        SubsetSampler sampler = new SubsetSampler(streams(config.seed())[0], (int) real.rows());
        this.realSubsets = new int[config.subsets()][];
        this.realWithinSums = new double[config.subsets()];
        for (int s = 0; s < config.subsets(); s++) {
            realSubsets[s] = sampler.draw(m);
            Blas.gatherRows(this.real, realSubsets[s], realRows);
            realWithinSums[s] = sums.withinOffDiagonal(realRows);
        }
    }

    /** Draws the real subsets and computes their within-set sums. */
    public static KidReference prepare(INDArray realFeatures, KidConfig config) {
        return new KidReference(realFeatures, config);
    }

    /** One-shot KID between real and fake features. */
    public static KidResult kid(INDArray realFeatures, INDArray fakeFeatures, KidConfig config) {
        checkShapes(realFeatures.shape(), fakeFeatures.shape(), config);
        return prepare(realFeatures, config).evaluate(fakeFeatures);
    }

    /**
     * The checks a KID of sets with these [rows, columns] shapes must pass, without the data: lets a caller
     * fail fast before reading or preparing anything large.
     */
    public static void checkShapes(long[] realShape, long[] fakeShape, KidConfig config) {
        if (realShape.length != 2 || fakeShape.length != 2) {
            throw new IllegalArgumentException("features must be 2-D [samples, features], got shapes "
                    + java.util.Arrays.toString(realShape) + " and " + java.util.Arrays.toString(fakeShape));
        }
        Features.requireSameDim(realShape[1], fakeShape[1]);
        Features.requireEnoughRows(realShape[0], fakeShape[0], config.subsetSize());
    }

    public KidConfig config() {
        return config;
    }

    /** KID of these fake features against the prepared real set. Not thread-safe: one evaluation at a time. */
    public synchronized KidResult evaluate(INDArray fakeFeatures) {
        INDArray fake = Features.asRowMajorFloat("fake", fakeFeatures);
        Features.requireSameDim(real, fake);
        Features.requireEnoughRows("fake", fake.rows(), config.subsetSize());
        double m = config.subsetSize();
        SubsetSampler sampler = new SubsetSampler(streams(config.seed())[1], (int) fake.rows());
        double[] values = new double[config.subsets()];
        for (int s = 0; s < values.length; s++) {
            Blas.gatherRows(fake, sampler.draw(config.subsetSize()), fakeRows);
            Blas.gatherRows(real, realSubsets[s], realRows);
            double fakeWithin = sums.withinOffDiagonal(fakeRows);
            double cross = sums.cross(realRows, fakeRows);
            values[s] = (realWithinSums[s] + fakeWithin) / (m * (m - 1)) - 2 * cross / (m * m);
        }
        return KidResult.of(values, config.subsetSize(), real.columns(), real.rows(), fake.rows());
    }

    private static SplittableRandom[] streams(long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        return new SplittableRandom[] {root.split(), root.split()};
    }
}
