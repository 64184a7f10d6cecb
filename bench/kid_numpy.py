"""Plain numpy KID, the reference for `mmdgan bench kid --numpy`.

Usage: python3 kid_numpy.py REAL.npy FAKE.npy [SUBSETS] [SUBSET_SIZE] [--general]

The computation torchmetrics and clean-fid do: for each subset, draw rows of each set without
replacement, form the three poly-kernel Gram matrices (x·yᵀ/d + 1)³ and average the unbiased MMD².
Note that numpy itself turns `x @ x.T` into a symmetric product (BLAS syrk); --general forces three
general products (`x @ x.copy().T`), as a BLAS-level implementation without that shortcut would do.
"""
import sys

import numpy as np


def kid(real, fake, subsets=100, m=1000, seed=0, general=False):
    d = real.shape[1]
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(subsets):
        x = real[rng.choice(len(real), m, replace=False)]
        y = fake[rng.choice(len(fake), m, replace=False)]
        kxx = (x @ (x.copy() if general else x).T / d + 1) ** 3
        kyy = (y @ (y.copy() if general else y).T / d + 1) ** 3
        kxy = (x @ y.T / d + 1) ** 3
        values.append((kxx.sum() - np.trace(kxx) + kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2 * kxy.mean())
    return float(np.mean(values)), float(np.std(values))


if __name__ == "__main__":
    general = "--general" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--general"]
    real, fake = np.load(args[0]), np.load(args[1])
    subsets = int(args[2]) if len(args) > 2 else 100
    size = int(args[3]) if len(args) > 3 else 1000
    mean, std = kid(real, fake, subsets, size, general=general)
    print(f'{{"kid_mean": {mean}, "kid_std": {std}}}')
