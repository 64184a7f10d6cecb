package dev.mmdgan.core.kid;

import dev.mmdgan.core.kernel.PolynomialKernel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * TF-GAN's block estimator: both sets are cut into ⌈max(n_real, n_fake) / maxBlockSize⌉ contiguous blocks of
 * near-equal size (inputs must be in random order), one unbiased MMD² per block pair; the standard error
 * is √(var_ddof1 / n_blocks).
 */
public final class KidBlocks {

    public static final int DEFAULT_MAX_BLOCK_SIZE = 1024;

    private KidBlocks() {
    }

    public static KidResult kid(INDArray realFeatures, INDArray fakeFeatures, int maxBlockSize, PolynomialKernel kernel) {
        INDArray real = Features.asRowMajorFloat("real", realFeatures);
        INDArray fake = Features.asRowMajorFloat("fake", fakeFeatures);
        Features.requireSameDim(real, fake);
        if (maxBlockSize < 2) {
            throw new IllegalArgumentException("block size must be ≥ 2, got " + maxBlockSize);
        }
        int blocks = (int) Math.ceil(Math.max(real.rows(), fake.rows()) / (double) maxBlockSize);
        if (Math.min(real.rows(), fake.rows()) < 2L * blocks) {
            throw new IllegalArgumentException("the block estimator needs at least 2 samples per block: "
                    + blocks + " blocks but only " + Math.min(real.rows(), fake.rows()) + " samples in the smaller set");
        }
        PolyGramSums sums = new PolyGramSums(kernel, real.columns());
        double[] values = new double[blocks];
        int largest = 0;
        for (int b = 0; b < blocks; b++) {
            INDArray x = block(real, b, blocks);
            INDArray y = block(fake, b, blocks);
            double m = x.rows();
            double n = y.rows();
            largest = (int) Math.max(largest, Math.max(m, n));
            values[b] = sums.withinOffDiagonal(x) / (m * (m - 1)) + sums.withinOffDiagonal(y) / (n * (n - 1))
                    - 2 * sums.cross(x, y) / (m * n);
        }
        return KidResult.of(values, largest, real.columns(), real.rows(), fake.rows());
    }

    /** Block b of k near-equal contiguous blocks (numpy.array_split: the first n mod k blocks get one more row). */
    private static INDArray block(INDArray x, int b, int k) {
        long n = x.rows();
        long base = n / k;
        long extra = n % k;
        long start = b * base + Math.min(b, extra);
        long len = base + (b < extra ? 1 : 0);
        return x.get(NDArrayIndex.interval(start, start + len), NDArrayIndex.all()).dup('c');
    }
}
