package dev.mmdgan.core.kid;

/**
 * A KID estimate.
 *
 * @param mean       mean of the per-subset unbiased MMD² values (may be slightly negative: that is valid)
 * @param std        standard deviation across subsets, ddof = 0 (what papers report as "KID ± std")
 * @param stderr     standard error of the mean: std with ddof = 1 over √subsets (NaN for one subset)
 * @param subsets    number of subsets (or blocks)
 * @param subsetSize rows per subset (largest block for blocks)
 * @param featureDim feature dimension
 * @param nReal      rows of the real set
 * @param nFake      rows of the fake set
 * @param values     the per-subset estimates, in draw order
 */
public record KidResult(double mean, double std, double stderr, int subsets, int subsetSize,
                        long featureDim, long nReal, long nFake, double[] values) {

    static KidResult of(double[] values, int subsetSize, long featureDim, long nReal, long nFake) {
        int k = values.length;
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= k;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(ss / k);
        double stderr = k > 1 ? Math.sqrt(ss / (k - 1) / k) : Double.NaN;
        return new KidResult(mean, std, stderr, k, subsetSize, featureDim, nReal, nFake, values.clone());
    }
}
