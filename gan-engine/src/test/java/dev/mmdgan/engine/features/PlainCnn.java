package dev.mmdgan.engine.features;

/** {@link ClassifierCnn}'s features by the definition, in plain loops over its parameter arrays (a test oracle). */
final class PlainCnn {

    private PlainCnn() {
    }

    static float[] features(ClassifierCnn cnn, float[] image) {
        float[][][] x = new float[1][28][28];
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                x[0][r][c] = image[r * 28 + c];
            }
        }
        float[][][] h1 = pool(relu(conv(x, cnn.parameter("c1/w").dup().data().asFloat(), cnn.parameter("c1/b").toFloatVector(), ClassifierCnn.CHANNELS_1)));
        float[][][] h2 = pool(relu(conv(h1, cnn.parameter("c2/w").dup().data().asFloat(), cnn.parameter("c2/b").toFloatVector(), ClassifierCnn.CHANNELS_2)));
        float[] flat = new float[h2.length * h2[0].length * h2[0][0].length];
        int k = 0;
        for (float[][] channel : h2) {
            for (float[] row : channel) {
                for (float v : row) {
                    flat[k++] = v;
                }
            }
        }
        float[] w = cnn.parameter("d1/w").dup().data().asFloat(); // [flat, 128] row-major
        float[] b = cnn.parameter("d1/b").toFloatVector();
        int out = b.length;
        float[] f = new float[out];
        for (int j = 0; j < out; j++) {
            double s = b[j];
            for (int i = 0; i < flat.length; i++) {
                s += flat[i] * w[i * out + j];
            }
            f[j] = (float) Math.max(0, s);
        }
        return f;
    }

    /** 3×3 convolution with zero padding 1; weights [3, 3, in, out] row-major (YXIO). */
    private static float[][][] conv(float[][][] x, float[] w, float[] bias, int out) {
        int in = x.length;
        int h = x[0].length;
        int wd = x[0][0].length;
        float[][][] y = new float[out][h][wd];
        for (int o = 0; o < out; o++) {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < wd; c++) {
                    double s = bias[o];
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            int rr = r + ky - 1;
                            int cc = c + kx - 1;
                            if (rr < 0 || rr >= h || cc < 0 || cc >= wd) {
                                continue;
                            }
                            for (int i = 0; i < in; i++) {
                                s += x[i][rr][cc] * w[((ky * 3 + kx) * in + i) * out + o];
                            }
                        }
                    }
                    y[o][r][c] = (float) s;
                }
            }
        }
        return y;
    }

    private static float[][][] relu(float[][][] x) {
        for (float[][] a : x) {
            for (float[] b : a) {
                for (int i = 0; i < b.length; i++) {
                    b[i] = Math.max(0, b[i]);
                }
            }
        }
        return x;
    }

    private static float[][][] pool(float[][][] x) {
        int h = x[0].length / 2;
        int w = x[0][0].length / 2;
        float[][][] y = new float[x.length][h][w];
        for (int ch = 0; ch < x.length; ch++) {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    y[ch][r][c] = Math.max(Math.max(x[ch][2 * r][2 * c], x[ch][2 * r][2 * c + 1]),
                            Math.max(x[ch][2 * r + 1][2 * c], x[ch][2 * r + 1][2 * c + 1]));
                }
            }
        }
        return y;
    }
}
