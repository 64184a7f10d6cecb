package dev.mmdgan.core.twosample;

import dev.mmdgan.core.kernel.Kernel;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MMD permutation two-sample test. The pooled Gram matrix K is computed once; for a batch of
 * permutations with indicator matrix P (1 where a pooled sample is assigned to X), the within-X sums
 * are the column sums of P ∘ (K·P), and everything else follows from K's row sums and trace.
 */
public final class PermutationTest {

    public static final int DEFAULT_PERMUTATIONS = 500;
    public static final double DEFAULT_ALPHA = 0.05;
    private static final int BATCH = 128;

    private final Kernel kernel;
    private final int permutations;
    private final double alpha;

    public PermutationTest(Kernel kernel, int permutations, double alpha) {
        if (permutations < 1) {
            throw new IllegalArgumentException("permutations must be ≥ 1, got " + permutations);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        this.kernel = kernel;
        this.permutations = permutations;
        this.alpha = alpha;
    }

    public PermutationTestResult test(INDArray x, INDArray y, long seed) {
        int m = (int) x.rows();
        int n = (int) y.rows();
        if (m < 2 || n < 2) {
            throw new IllegalArgumentException("each sample needs at least 2 rows, got " + m + " and " + n);
        }
        if (x.columns() != y.columns()) {
            throw new IllegalArgumentException("feature dimensions differ: " + x.columns() + " vs " + y.columns()
                    + "; both samples must have the same number of columns");
        }
        INDArray pooled = Nd4j.vstack(x.castTo(DataType.DOUBLE), y.castTo(DataType.DOUBLE));
        INDArray k = kernel.gram(pooled, pooled).castTo(DataType.DOUBLE);
        Split split = new Split(k, m, n);

        int total = m + n;
        int[] identity = new int[total];
        Arrays.setAll(identity, i -> i);
        double observed = split.mmd2(new int[][] {identity})[0];

        SplittableRandom random = new SplittableRandom(seed);
        double[] permuted = new double[permutations];
        for (int done = 0; done < permutations; done += BATCH) {
            int b = Math.min(BATCH, permutations - done);
            int[][] orders = new int[b][];
            for (int p = 0; p < b; p++) {
                orders[p] = shuffle(identity.clone(), random);
            }
            System.arraycopy(split.mmd2(orders), 0, permuted, done, b);
        }
        int atLeast = 0;
        for (double v : permuted) {
            if (v >= observed) {
                atLeast++;
            }
        }
        double p = (1.0 + atLeast) / (1.0 + permutations);
        double[] sorted = permuted.clone();
        Arrays.sort(sorted);
        double threshold = sorted[Math.min(permutations - 1, (int) Math.ceil((1 - alpha) * permutations) - 1)];
        return new PermutationTestResult(observed, p, p <= alpha, permutations, threshold, alpha);
    }

    private static int[] shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** Unbiased MMD² of many splits of one pooled Gram matrix: the first m of an order form X. */
    private record Split(INDArray k, int m, int n, INDArray rowSums, double total, double[] diagonal) {

        Split(INDArray k, int m, int n) {
            this(k, m, n, k.sum(1).reshape(m + n, 1), k.sumNumber().doubleValue(), diag(k));
        }

        double[] mmd2(int[][] orders) {
            int total = m + n;
            INDArray indicator = Nd4j.zeros(DataType.DOUBLE, total, orders.length);
            double[] traceX = new double[orders.length];
            for (int p = 0; p < orders.length; p++) {
                for (int i = 0; i < m; i++) {
                    indicator.putScalar(orders[p][i], p, 1.0);
                    traceX[p] += diagonal[orders[p][i]];
                }
            }
            double[] sxx = k.mmul(indicator).muli(indicator).sum(0).toDoubleVector();
            double[] xRow = indicator.transpose().mmul(rowSums).toDoubleVector();
            double traceAll = Arrays.stream(diagonal).sum();
            double[] out = new double[orders.length];
            for (int p = 0; p < orders.length; p++) {
                double sxy = xRow[p] - sxx[p];
                double syy = this.total - 2 * xRow[p] + sxx[p];
                double traceY = traceAll - traceX[p];
                out[p] = (sxx[p] - traceX[p]) / ((double) m * (m - 1))
                        + (syy - traceY) / ((double) n * (n - 1))
                        - 2 * sxy / ((double) m * n);
            }
            return out;
        }

        private static double[] diag(INDArray k) {
            double[] d = new double[(int) k.rows()];
            for (int i = 0; i < d.length; i++) {
                d[i] = k.getDouble(i, i);
            }
            return d;
        }
    }
}
