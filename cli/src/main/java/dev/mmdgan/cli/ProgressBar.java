package dev.mmdgan.cli;

import java.io.PrintWriter;

/**
 * Progress of long work on stderr. On a terminal one line, redrawn at most four times a second; elsewhere (a log file,
 * CI, {@code ./mmdgan up}'s output) a line of its own every ten seconds and at the end, so that logs stay readable.
 */
final class ProgressBar {

    /** Whether the process talks to a terminal (Java has no test for stderr alone; stdin and stdout are close enough). */
    private static final boolean TERMINAL = System.console() != null;
    private static final long INTERVAL_NS = TERMINAL ? 250_000_000L : 10_000_000_000L;
    private static final int WIDTH = 24;

    private final PrintWriter out;
    private final long t0 = System.nanoTime();
    private long lastPrint = Long.MIN_VALUE / 2;
    private boolean onLine;

    ProgressBar(PrintWriter out) {
        this.out = out;
    }

    /** A progress display on the process's stderr. */
    static ProgressBar onStderr() {
        return new ProgressBar(new PrintWriter(System.err, true));
    }

    /** done/total with a bar, {@code detail} and the time left. */
    void update(long done, long total, String detail) {
        if (!due(done >= total)) {
            return;
        }
        double elapsed = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
        double eta = done > 0 ? (total - done) * elapsed / done : 0;
        show(String.format("%d/%d %s %s | ETA %dm%02ds", done, total, bar(done, total), detail, Math.round(eta) / 60,
                Math.round(eta) % 60));
    }

    /** Whether a line is due now: the interval has passed, or this is the {@code last} update. */
    boolean due(boolean last) {
        long now = System.nanoTime();
        if (now - lastPrint < INTERVAL_NS && !last) {
            return false;
        }
        lastPrint = now;
        return true;
    }

    /** Shows {@code line}: redrawn in place on a terminal, a new line elsewhere. */
    void show(String line) {
        if (TERMINAL) {
            out.print("\r" + line + "   ");
            onLine = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the redrawn line, so that what follows starts on a line of its own. */
    void finish() {
        if (onLine) {
            out.println();
            onLine = false;
        }
    }

    /** {@code [=====     ]} for done out of total. */
    static String bar(long done, long total) {
        int filled = (int) (WIDTH * Math.min(1.0, done / (double) Math.max(1, total)));
        return "[" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "]";
    }
}
