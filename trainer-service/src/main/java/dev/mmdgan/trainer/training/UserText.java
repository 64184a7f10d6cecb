package dev.mmdgan.trainer.training;

/** How user-given text appears in error messages: a short prefix, never the whole of an arbitrarily long value. */
public final class UserText {

    /** Characters of a user's value that an error message repeats. */
    public static final int ECHO = 64;

    private UserText() {
    }

    public static String shorten(String value) {
        return value.length() <= ECHO ? value : value.substring(0, ECHO) + "…";
    }
}
