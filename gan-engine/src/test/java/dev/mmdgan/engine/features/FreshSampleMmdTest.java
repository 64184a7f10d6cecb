package dev.mmdgan.engine.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mmdgan.engine.data.Moons;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class FreshSampleMmdTest {

    @Test
    void unbiasedGaussianMmdWithTheMedianBandwidthAsPlainLoops() {
        INDArray x = Moons.sample(300, 0.1, 1);
        INDArray y = Moons.sample(300, 0.3, 2).addi(0.2);
        FreshSampleMmd.Result r = FreshSampleMmd.of(x, y);
        double[][] a = x.toDoubleMatrix();
        double[][] b = y.toDoubleMatrix();
        double sigma = FreshSampleMmd.medianDistance(a);
        int m = a.length;
        double kxx = 0;
        double kyy = 0;
        double kxy = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    kxx += k(a[i], a[j], sigma);
                    kyy += k(b[i], b[j], sigma);
                }
                kxy += k(a[i], b[j], sigma);
            }
        }
        double expected = kxx / (m * (m - 1.0)) + kyy / (m * (m - 1.0)) - 2 * kxy / ((double) m * m);
        assertThat(r.sigma()).isEqualTo(sigma);
        assertThat(r.rows()).isEqualTo(300);
        assertThat(r.mmd2()).isCloseTo(expected, within(1e-9));
        assertThat(expected).isGreaterThan(0.01);
        // The same distribution gives about zero.
        assertThat(FreshSampleMmd.of(x, Moons.sample(300, 0.1, 3)).mmd2()).isLessThan(expected / 5);
        // Median of {1, 2, √5} distances between (0,0), (1,0), (0,2)... here a plain three-point check.
        assertThat(FreshSampleMmd.medianDistance(new double[][] {{0, 0}, {1, 0}, {0, 2}})).isEqualTo(2.0);
    }

    private static double k(double[] p, double[] q, double sigma) {
        double d2 = 0;
        for (int c = 0; c < p.length; c++) {
            d2 += (p[c] - q[c]) * (p[c] - q[c]);
        }
        return Math.exp(-d2 / (2 * sigma * sigma));
    }
}
