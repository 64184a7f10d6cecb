package dev.mmdgan.core.kid;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Draws subsets without replacement (partial Fisher–Yates), returned sorted for memory locality. */
final class SubsetSampler {

    private final SplittableRandom random;
    private final int[] permutation;

    SubsetSampler(SplittableRandom random, int population) {
        this.random = random;
        this.permutation = new int[population];
        for (int i = 0; i < population; i++) {
            permutation[i] = i;
        }
    }

    int[] draw(int size) {
        int n = permutation.length;
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(n - i);
            int t = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = t;
        }
        int[] subset = Arrays.copyOf(permutation, size);
        Arrays.sort(subset);
        return subset;
    }
}
