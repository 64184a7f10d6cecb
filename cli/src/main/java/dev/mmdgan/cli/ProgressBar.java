package dev.mmdgan.cli;

import java.io.PrintStream;

/** A one-line progress display (bar, rate, ETA) redrawn at most four times a second. */
final class ProgressBar {

    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private long lastPrint;
    private boolean printed;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    void update(long done, long total, String detail) {
        long now = System.nanoTime();
        if (now - lastPrint < 250_000_000L && done < total) {
            return;
        }
        lastPrint = now;
        printed = true;
        double elapsed = Math.max(1e-9, (now - t0) / 1e9);
        double eta = done > 0 ? (total - done) * elapsed / done : 0;
        int width = 24;
        int filled = (int) (width * Math.min(done, total) / Math.max(total, 1));
        out.printf("\r%d/%d [%s%s] %s | ETA %dm%02ds   ", done, total, "=".repeat(filled), " ".repeat(width - filled), detail,
                Math.round(eta) / 60, Math.round(eta) % 60);
        out.flush();
    }

    void finish() {
        if (printed) {
            out.println();
        }
    }
}
