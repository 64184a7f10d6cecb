package dev.mmdgan.engine.data;

import dev.mmdgan.core.io.Sha256;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Two interleaving half circles, as scikit-learn's {@code make_moons}: the outer moon is
 * (cos t, sin t) and the inner one (1 − cos t, 1 − sin t − 0.5) for t evenly spaced in [0, π], with
 * Gaussian noise of standard deviation {@code noise} added to every coordinate; rows are shuffled.
 */
public final class Moons {

    public static final double DEFAULT_NOISE = 0.1;

    private Moons() {
    }

    /** n points (the outer moon gets ⌊n/2⌋), seeded. */
    public static INDArray sample(int n, double noise, long seed) {
        if (n < 2) {
            throw new IllegalArgumentException("moons needs at least 2 points, got " + n);
        }
        Random random = new Random(seed);
        int outer = n / 2;
        int inner = n - outer;
        float[][] points = new float[n][2];
        for (int i = 0; i < outer; i++) {
            double t = outer == 1 ? 0 : Math.PI * i / (outer - 1);
            points[i][0] = (float) (Math.cos(t) + noise * random.nextGaussian());
            points[i][1] = (float) (Math.sin(t) + noise * random.nextGaussian());
        }
        for (int i = 0; i < inner; i++) {
            double t = inner == 1 ? 0 : Math.PI * i / (inner - 1);
            points[outer + i][0] = (float) (1 - Math.cos(t) + noise * random.nextGaussian());
            points[outer + i][1] = (float) (1 - Math.sin(t) - 0.5 + noise * random.nextGaussian());
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float[] t = points[i];
            points[i] = points[j];
            points[j] = t;
        }
        return Nd4j.createFromArray(points).castTo(DataType.FLOAT);
    }

    /** The moons data set: {@code n} training points and {@code n / 10} held-out points from another seed. */
    public static Dataset dataset(int n, double noise, long seed) {
        return dataset(n, noise, seed, Math.max(2, n / 10));
    }

    /** The moons data set: {@code n} training points and {@code holdout} held-out points from another seed. */
    public static Dataset dataset(int n, double noise, long seed, int holdout) {
        // The identity names the holdout size only when it is not the historical n / 10, so old identities stay valid.
        String extra = holdout == Math.max(2, n / 10) ? "" : ", holdout=" + holdout;
        // The hash covers every generating parameter, the holdout size always included.
        String parameters = "moons(n=" + n + ", noise=" + noise + ", seed=" + seed + ", holdout=" + holdout + ")";
        return new Dataset("moons", "moons(n=" + n + ", noise=" + noise + ", seed=" + seed + extra + ")", Sha256.ofText(parameters),
                sample(n, noise, seed), sample(holdout, noise, seed + 1), new long[] {2});
    }
}
