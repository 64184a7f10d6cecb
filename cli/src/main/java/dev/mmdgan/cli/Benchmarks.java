package dev.mmdgan.cli;

import java.util.Arrays;

/** Shared by the bench commands. */
final class Benchmarks {

    private Benchmarks() {
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
