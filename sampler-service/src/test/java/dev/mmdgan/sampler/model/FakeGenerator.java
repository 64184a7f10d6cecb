package dev.mmdgan.sampler.model;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A generator without a network: sample = [Σ z_j + offset, z_0], a function of its own latent row alone, so a
 * test can compute every expected value by hand. Counts calls and rows; refuses to work once closed.
 */
final class FakeGenerator implements Generator {

    final int dim;
    final float offset;
    final long bytes;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger rows = new AtomicInteger();
    volatile boolean closed;
    volatile long delayMillis;
    /** When set, each call waits for it to open (tests that need a busy worker without timing). */
    volatile java.util.concurrent.CountDownLatch gate;

    FakeGenerator(int dim, float offset, long bytes) {
        this.dim = dim;
        this.offset = offset;
        this.bytes = bytes;
    }

    /** The sample this generator makes of latent row {@code z} (the independent computation the tests compare to). */
    static float[] expected(float[] z, float offset) {
        float sum = 0;
        for (float v : z) {
            sum += v;
        }
        return new float[] {sum + offset, z[0]};
    }

    @Override
    public int noiseDim() {
        return dim;
    }

    @Override
    public long[] sampleShape() {
        return new long[] {2};
    }

    @Override
    public float[] generate(float[] latents, int n) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (gate != null) {
            try {
                gate.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        calls.incrementAndGet();
        rows.addAndGet(n);
        float[] out = new float[n * 2];
        for (int i = 0; i < n; i++) {
            float[] z = java.util.Arrays.copyOfRange(latents, i * dim, (i + 1) * dim);
            System.arraycopy(expected(z, offset), 0, out, i * 2, 2);
        }
        return out;
    }

    @Override
    public long sizeBytes() {
        return bytes;
    }

    @Override
    public void close() {
        closed = true;
    }
}
