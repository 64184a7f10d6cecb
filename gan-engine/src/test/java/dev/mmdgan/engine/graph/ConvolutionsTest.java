package dev.mmdgan.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The graph convolutions against plain loops over the definitions, in double. */
class ConvolutionsTest {

    /** conv with padding 1: y[n, o, i, j] = Σ_c Σ_k w[ky, kx, c, o]·x[n, c, s·i + ky − 1, s·j + kx − 1]. */
    static double[][][][] convLoop(double[][][][] x, double[][][][] w, int stride) {
        int n = x.length, in = x[0].length, h = x[0][0].length, k = w.length, out = w[0][0][0].length;
        int ho = (h + 2 - k) / stride + 1;
        double[][][][] y = new double[n][out][ho][ho];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < ho; i++) {
                    for (int j = 0; j < ho; j++) {
                        double sum = 0;
                        for (int c = 0; c < in; c++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int yy = stride * i + ky - 1;
                                    int xx = stride * j + kx - 1;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < h) {
                                        sum += w[ky][kx][c][o] * x[b][c][yy][xx];
                                    }
                                }
                            }
                        }
                        y[b][o][i][j] = sum;
                    }
                }
            }
        }
        return y;
    }

    /** 4×4 stride-2 transposed convolution: y[n, o, 2i + ky − 1, 2j + kx − 1] += v[ky, kx, c, o]·x[n, c, i, j]. */
    static double[][][][] transposedLoop(double[][][][] x, double[][][][] v) {
        int n = x.length, in = x[0].length, h = x[0][0].length, out = v[0][0][0].length;
        double[][][][] y = new double[n][out][2 * h][2 * h];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < in; c++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < h; j++) {
                        for (int ky = 0; ky < 4; ky++) {
                            for (int kx = 0; kx < 4; kx++) {
                                int yy = 2 * i + ky - 1;
                                int xx = 2 * j + kx - 1;
                                if (yy >= 0 && yy < 2 * h && xx >= 0 && xx < 2 * h) {
                                    for (int o = 0; o < out; o++) {
                                        y[b][o][yy][xx] += v[ky][kx][c][o] * x[b][c][i][j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    private static INDArray random(long... shape) {
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    private static double[][][][] java(INDArray a) {
        long[] s = a.shape();
        double[][][][] r = new double[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]];
        for (int i = 0; i < s[0]; i++) {
            for (int j = 0; j < s[1]; j++) {
                for (int k = 0; k < s[2]; k++) {
                    for (int l = 0; l < s[3]; l++) {
                        r[i][j][k][l] = a.getDouble(i, j, k, l);
                    }
                }
            }
        }
        return r;
    }

    private static void assertSame(INDArray actual, double[][][][] expected) {
        assertThat(actual.shape()).containsExactly(expected.length, expected[0].length, expected[0][0].length,
                expected[0][0][0].length);
        assertThat(actual.equalsWithEps(Nd4j.create(expected), 1e-10)).as("%s vs %s", actual, Nd4j.create(expected)).isTrue();
    }

    @Test
    void convolutionsMatchTheLoops() {
        Nd4j.getRandom().setSeed(1);
        for (int[] ks : new int[][] {{3, 1, 3}, {4, 2, 3}, {4, 2, 1}}) { // kernel, stride, input channels
            INDArray x = random(2, ks[2], 6, 6);
            INDArray w = random(ks[0], ks[0], ks[2], 2);
            SameDiff sd = SameDiff.create();
            Convolutions.conv(sd, sd.constant(x), sd.constant(w), null, ks[0], ks[1]).rename("y");
            assertSame(sd.output(Map.of(), "y").get("y"), convLoop(java(x), java(w), ks[1]));
        }
    }

    @Test
    void phaseUpsamplingIsTheTransposedConvolution() {
        Nd4j.getRandom().setSeed(2);
        INDArray x = random(2, 3, 5, 5);
        INDArray v = random(4, 4, 3, 2);
        SameDiff sd = SameDiff.create();
        Convolutions.upsample(sd, sd.constant(x), sd.constant(v), 3, 2, 5).rename("y");
        assertSame(sd.output(Map.of(), "y").get("y"), transposedLoop(java(x), java(v)));
    }

    /** ⟨conv(x), g⟩ = ⟨x, convᵀ(g)⟩ for every x and g: the transpose is the adjoint. */
    @Test
    void transposeIsTheAdjointOfTheConvolution() {
        Nd4j.getRandom().setSeed(3);
        for (int[] ks : new int[][] {{3, 1}, {4, 2}}) {
            INDArray x = random(2, 3, 8, 8);
            INDArray w = random(ks[0], ks[0], 3, 5);
            long out = Convolutions.outputSize(8, ks[0], ks[1]);
            INDArray g = random(2, 5, out, out);
            SameDiff sd = SameDiff.create();
            SDVariable y = Convolutions.conv(sd, sd.constant(x), sd.constant(w), null, ks[0], ks[1]);
            y.mul(sd.constant(g)).sum().rename("lhs");
            SDVariable t = Convolutions.transpose(sd, sd.constant(g), sd.constant(w), ks[0], ks[1], 3, 5, out);
            t.mul(sd.constant(x)).sum().rename("rhs");
            Map<String, INDArray> r = sd.output(Map.of(), "lhs", "rhs");
            assertThat(r.get("rhs").getDouble(0)).isCloseTo(r.get("lhs").getDouble(0), within(1e-9));
        }
    }
}
