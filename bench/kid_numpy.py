"""Plain numpy KID, the reference for `mmdgan bench kid --numpy`.

Usage: python3 kid_numpy.py REAL.npy FAKE.npy [SUBSETS] [SUBSET_SIZE]

The computation torchmetrics and clean-fid do: for each subset, draw rows of each set without
replacement, form the three poly-kernel Gram matrices (x·yᵀ/d + 1)³ and average the unbiased MMD².
"""
import sys

import numpy as np


def kid(real, fake, subsets=100, m=1000, seed=0):
    d = real.shape[1]
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(subsets):
        x = real[rng.choice(len(real), m, replace=False)]
        y = fake[rng.choice(len(fake), m, replace=False)]
        kxx = (x @ x.T / d + 1) ** 3
        kyy = (y @ y.T / d + 1) ** 3
        kxy = (x @ y.T / d + 1) ** 3
        values.append((kxx.sum() - np.trace(kxx) + kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2 * kxy.mean())
    return float(np.mean(values)), float(np.std(values))


if __name__ == "__main__":
    real, fake = np.load(sys.argv[1]), np.load(sys.argv[2])
    subsets = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    size = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    mean, std = kid(real, fake, subsets, size)
    print(f'{{"kid_mean": {mean}, "kid_std": {std}}}')
