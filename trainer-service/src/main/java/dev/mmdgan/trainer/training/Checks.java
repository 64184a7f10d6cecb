package dev.mmdgan.trainer.training;

import dev.mmdgan.trainer.training.RunConfigValidator.InvalidRunConfig;

/** Helpers shared by the run-config validators: refusals, and user text as a refusal quotes it. */
public final class Checks {

    /** Most characters of user text a message quotes. */
    static final int QUOTE = 64;

    private Checks() {
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidRunConfig(message);
        }
    }

    /**
     * User text as a message quotes it: its first {@value #QUOTE} characters, then "…" if there were more, with
     * control characters shown as '?' (the message may end up in logs).
     */
    public static String quote(String text) {
        String shown = text;
        if (text.codePointCount(0, text.length()) > QUOTE) {
            shown = text.substring(0, text.offsetByCodePoints(0, QUOTE)) + "…";
        }
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /** {@code v}, which must be finite and {@code ok}; {@code allowed} says what is allowed, e.g. "in (0, 1)". */
    static double finite(String field, double v, boolean ok, String allowed) {
        require(Double.isFinite(v) && ok, field + " must be " + allowed + ", got " + v);
        return v;
    }

    /** {@code v}, which must lie in [min, max]. */
    static long inRange(String field, long v, long min, long max) {
        require(v >= min && v <= max, field + " must be in [" + min + ", " + max + "], got " + v);
        return v;
    }

    /** Refuses a field that is set although the engine cannot honour it yet; {@code instead} says what it does. */
    static void notConfigurable(boolean set, String field, String instead) {
        require(!set, field + " is not configurable yet (" + instead + "); leave it unset");
    }

    /** Refuses a field that is set although it has no effect on this run; {@code what} names what it does not apply to. */
    static void notApplicable(boolean set, String field, String what) {
        require(!set, field + " does not apply to " + what + "; leave it unset");
    }
}
