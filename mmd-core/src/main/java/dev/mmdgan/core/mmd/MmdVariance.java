package dev.mmdgan.core.mmd;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The unbiased MMD² with an estimate of its variance, in the opt-mmd form used by mbinkowski/MMD-GAN:
 * Var ≈ 4(m−2)/(m(m−1))·ζ₁ + 2/(m(m−1))·ζ₂, with ζ₁ and ζ₂ estimated from kernel sums.
 *
 * @param mmd2     the unbiased MMD²
 * @param variance the estimated variance of that estimator at sample size m
 */
public record MmdVariance(double mmd2, double variance) {

    /** Equal sample sizes m = n ≥ 4 are required. */
    public static MmdVariance of(GramBlocks g) {
        return of(g, g.m());
    }

    /**
     * @param varianceAtM the sample size at which to report the variance (mbinkowski's {@code var_at_m})
     */
    public static MmdVariance of(GramBlocks g, long varianceAtM) {
        long size = g.m();
        if (size != g.n() || size < 4) {
            throw new IllegalArgumentException("the MMD² variance needs equal sample sizes ≥ 4, got "
                    + g.m() + " and " + g.n());
        }
        double m = size;
        double[] ktxxSums = offDiagonalRowSums(g.kxx());
        double[] ktyySums = offDiagonalRowSums(g.kyy());
        double[] kxySums1 = g.kxy().sum(1).toDoubleVector(); // one per x
        double[] kxySums0 = g.kxy().sum(0).toDoubleVector(); // one per y

        double ktxxSum = sum(ktxxSums);
        double ktyySum = sum(ktyySums);
        double kxySum = sum(kxySums1);

        double ktxx2Sum = squaredFrobenius(g.kxx()) - sumOfSquares(diagonal(g.kxx()));
        double ktyy2Sum = squaredFrobenius(g.kyy()) - sumOfSquares(diagonal(g.kyy()));
        double kxy2Sum = squaredFrobenius(g.kxy());
        double dotXxXy = dot(ktxxSums, kxySums1);
        double dotYyYx = dot(ktyySums, kxySums0);

        double m1 = m - 1;
        double m2 = m - 2;
        double mmd2 = (ktxxSum + ktyySum) / (m * m1) - 2 * kxySum / (m * m);

        double zeta1 = 1 / (m * m1 * m2) * (sumOfSquares(ktxxSums) - ktxx2Sum + sumOfSquares(ktyySums) - ktyy2Sum)
                - 1 / Math.pow(m * m1, 2) * (ktxxSum * ktxxSum + ktyySum * ktyySum)
                + 1 / (m * m * m1) * (sumOfSquares(kxySums1) + sumOfSquares(kxySums0) - 2 * kxy2Sum)
                - 2 / Math.pow(m, 4) * kxySum * kxySum
                - 2 / (m * m * m1) * (dotXxXy + dotYyYx)
                + 2 / (Math.pow(m, 3) * m1) * (ktxxSum + ktyySum) * kxySum;
        double zeta2 = 1 / (m * m1) * (ktxx2Sum + ktyy2Sum)
                - 1 / Math.pow(m * m1, 2) * (ktxxSum * ktxxSum + ktyySum * ktyySum)
                + 2 / (m * m) * kxy2Sum
                - 2 / Math.pow(m, 4) * kxySum * kxySum
                - 4 / (m * m * m1) * (dotXxXy + dotYyYx)
                + 4 / (Math.pow(m, 3) * m1) * (ktxxSum + ktyySum) * kxySum;
        double v = varianceAtM;
        double variance = 4 * (v - 2) / (v * (v - 1)) * zeta1 + 2 / (v * (v - 1)) * zeta2;
        return new MmdVariance(mmd2, variance);
    }

    static double[] offDiagonalRowSums(INDArray k) {
        double[] sums = k.sum(1).toDoubleVector();
        double[] diag = diagonal(k);
        for (int i = 0; i < sums.length; i++) {
            sums[i] -= diag[i];
        }
        return sums;
    }

    static double[] diagonal(INDArray k) {
        double[] d = new double[(int) k.rows()];
        for (int i = 0; i < d.length; i++) {
            d[i] = k.getDouble(i, i);
        }
        return d;
    }

    static double squaredFrobenius(INDArray k) {
        return k.mul(k).sumNumber().doubleValue();
    }

    static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    static double sumOfSquares(double[] v) {
        return dot(v, v);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
