package dev.mmdgan.core;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Independent reference computations for tests: kernels and estimators written straight from
 * docs/methods.md with plain double loops over rows — no matrix products, no production code.
 */
public final class PlainLoops {

    private PlainLoops() {
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double sqDist(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }

    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** A kernel on a pair, written from its definition. */
    public interface PairKernel {
        double k(double[] a, double[] b);
    }

    public static PairKernel rbfMix(double... sigmas) {
        return (a, b) -> {
            double s = 0;
            for (double sigma : sigmas) {
                s += Math.exp(-sqDist(a, b) / (2 * sigma * sigma));
            }
            return s;
        };
    }

    public static PairKernel rqMix(double dotWeight, double... alphas) {
        return (a, b) -> {
            double s = dotWeight * dot(a, b);
            for (double alpha : alphas) {
                s += Math.pow(1 + sqDist(a, b) / (2 * alpha), -alpha);
            }
            return s;
        };
    }

    public static PairKernel laplace(double sigma) {
        return (a, b) -> Math.exp(-Math.sqrt(sqDist(a, b)) / sigma);
    }

    public static PairKernel energy() {
        return (a, b) -> 0.5 * (norm(a) + norm(b) - Math.sqrt(sqDist(a, b)));
    }

    public static PairKernel poly(int degree, double gamma, double coef) {
        return (a, b) -> Math.pow(gamma * dot(a, b) + coef, degree);
    }

    public static PairKernel linear() {
        return PlainLoops::dot;
    }

    public static double[][] gram(PairKernel k, double[][] a, double[][] b) {
        double[][] g = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                g[i][j] = k.k(a[i], b[j]);
            }
        }
        return g;
    }

    /** Unbiased MMD²: within-set means without the diagonal, cross mean over all pairs. */
    public static double mmd2Unbiased(PairKernel k, double[][] x, double[][] y) {
        return offDiagonalMean(k, x) + offDiagonalMean(k, y) - 2 * crossMean(k, x, y);
    }

    public static double mmd2Biased(PairKernel k, double[][] x, double[][] y) {
        return crossMean(k, x, x) + crossMean(k, y, y) - 2 * crossMean(k, x, y);
    }

    public static double mmd2UStatistic(PairKernel k, double[][] x, double[][] y) {
        int m = x.length;
        double cross = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    cross += k.k(x[i], y[j]);
                }
            }
        }
        return offDiagonalMean(k, x) + offDiagonalMean(k, y) - 2 * cross / (m * (m - 1.0));
    }

    public static double offDiagonalMean(PairKernel k, double[][] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                if (i != j) {
                    s += k.k(x[i], x[j]);
                }
            }
        }
        return s / (x.length * (x.length - 1.0));
    }

    public static double crossMean(PairKernel k, double[][] x, double[][] y) {
        double s = 0;
        for (double[] a : x) {
            for (double[] b : y) {
                s += k.k(a, b);
            }
        }
        return s / ((double) x.length * y.length);
    }

    public static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }

    /** Sample variance (ddof = 1). */
    public static double variance(double[] values) {
        double mean = mean(values);
        double s = 0;
        for (double v : values) {
            s += (v - mean) * (v - mean);
        }
        return s / (values.length - 1);
    }

    /** Rows of N(mean, scale²) in dim dimensions. */
    public static double[][] gaussian(Random random, int n, int dim, double mean, double scale) {
        double[][] x = new double[n][dim];
        for (double[] row : x) {
            for (int j = 0; j < dim; j++) {
                row[j] = mean + scale * random.nextGaussian();
            }
        }
        return x;
    }

    public static INDArray toNd(double[][] x) {
        return Nd4j.createFromArray(x);
    }

    public static double[][] toJava(INDArray x) {
        return x.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
    }
}
