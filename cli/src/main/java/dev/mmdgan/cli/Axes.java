package dev.mmdgan.cli;

/** Round tick values for plot axes (steps of 1, 2 or 5 times a power of ten). */
final class Axes {

    private Axes() {
    }

    /** About {@code target} ticks covering [lo, hi]: multiples of a 1-2-5 step, from ≤ lo to ≥ hi. */
    static double[] ticks(double lo, double hi, int target) {
        if (!(hi > lo)) {
            return new double[] {lo};
        }
        double raw = (hi - lo) / Math.max(1, target);
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = power * (raw / power <= 1 ? 1 : raw / power <= 2 ? 2 : raw / power <= 5 ? 5 : 10);
        double first = Math.floor(lo / step) * step;
        double last = Math.ceil(hi / step) * step;
        int count = (int) Math.round((last - first) / step) + 1;
        double[] t = new double[count];
        for (int i = 0; i < count; i++) {
            // Ten significant digits: 0.04, not 0.039999999999999994.
            t[i] = new java.math.BigDecimal(first + i * step).round(new java.math.MathContext(10)).doubleValue();
            if (Math.abs(t[i]) < step * 1e-9) {
                t[i] = 0; // no "-0" or 1e-17 labels
            }
        }
        return t;
    }

    /** A tick label with as many decimals as the step needs, or scientific notation for very small or large values. */
    static String label(double v, double[] ticks) {
        double step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.max(Math.abs(v), 1);
        double largest = Math.max(Math.abs(ticks[0]), Math.abs(ticks[ticks.length - 1]));
        if (v == 0) {
            return "0";
        }
        if (largest >= 1e5 || step < 1e-3) {
            int digits = Math.max(0, (int) Math.ceil(-Math.log10(step / Math.pow(10, Math.floor(Math.log10(largest))))));
            return String.format(java.util.Locale.ROOT, "%." + Math.min(digits, 4) + "e", v);
        }
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }
}
