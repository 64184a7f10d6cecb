package dev.mmdgan.sampler.model;

import dev.mmdgan.engine.model.LatentNoise;

/** Latent vectors for requests: z(seed) with optional truncation, and paths between two latent vectors. */
public final class Latents {

    private Latents() {
    }

    /** z(seeds[i]) row after row ({@link LatentNoise}); ψ ≤ 0: no truncation. */
    public static float[] ofSeeds(long[] seeds, int dim, double truncation) {
        float[] z = new float[Math.multiplyExact(seeds.length, dim)];
        for (int i = 0; i < seeds.length; i++) {
            System.arraycopy(LatentNoise.of(seeds[i], dim, truncation), 0, z, i * dim, dim);
        }
        return z;
    }

    /**
     * {@code steps} points from {@code a} to {@code b}, end points included, row after row: straight ({@code spherical}
     * false) or spherical (slerp: sin((1−t)ω)·a + sin(tω)·b over sin ω; straight when a and b are parallel).
     */
    public static float[] path(float[] a, float[] b, int steps, boolean spherical) {
        if (a.length != b.length || steps < 2) {
            throw new IllegalArgumentException("a path needs two end points of one length and ≥ 2 steps");
        }
        int dim = a.length;
        float[] out = new float[Math.multiplyExact(steps, dim)];
        double na = norm(a);
        double nb = norm(b);
        double omega = 0;
        if (spherical && na > 0 && nb > 0) {
            double dot = 0;
            for (int j = 0; j < dim; j++) {
                dot += a[j] * (double) b[j];
            }
            omega = Math.acos(Math.max(-1, Math.min(1, dot / (na * nb))));
        }
        double sin = Math.sin(omega);
        for (int i = 0; i < steps; i++) {
            double t = i / (double) (steps - 1);
            double wa = 1 - t;
            double wb = t;
            if (sin > 1e-6) {
                wa = Math.sin((1 - t) * omega) / sin;
                wb = Math.sin(t * omega) / sin;
            }
            for (int j = 0; j < dim; j++) {
                out[i * dim + j] = (float) (wa * a[j] + wb * b[j]);
            }
        }
        // End points exactly as given.
        System.arraycopy(a, 0, out, 0, dim);
        System.arraycopy(b, 0, out, (steps - 1) * dim, dim);
        return out;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * (double) x;
        }
        return Math.sqrt(s);
    }
}
