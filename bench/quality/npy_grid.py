"""An 8×8 PNG grid of the first 64 samples of an .npy file ([n, 784] or [n, 1, 28, 28], values in [-1, 1]).

Usage: python3 bench/quality/npy_grid.py SAMPLES.npy OUT.png
Only numpy and the standard library: the PNG is written by hand (greyscale, 8 bits, one IDAT chunk).
"""
import struct
import sys
import zlib

import numpy as np


def png(path, pixels):
    h, w = pixels.shape
    raw = b"".join(b"\x00" + pixels[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    x = np.load(sys.argv[1]).reshape(-1, 28, 28)[:64]
    pad = 2
    grid = np.full((8 * (28 + pad) + pad, 8 * (28 + pad) + pad), 255, np.uint8)
    for i, img in enumerate(x):
        r, c = divmod(i, 8)
        y0, x0 = pad + r * (28 + pad), pad + c * (28 + pad)
        grid[y0:y0 + 28, x0:x0 + 28] = np.clip((img + 1) * 127.5, 0, 255).round().astype(np.uint8)
    png(sys.argv[2], grid)


if __name__ == "__main__":
    main()
