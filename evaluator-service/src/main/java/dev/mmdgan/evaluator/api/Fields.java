package dev.mmdgan.evaluator.api;

import dev.mmdgan.api.v1.KidOptions;
import dev.mmdgan.core.kernel.PolynomialKernel;
import dev.mmdgan.core.kid.KidConfig;
import java.util.Base64;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Checks of request fields: every refusal names the field, what is allowed and what was sent (INVALID_ARGUMENT). */
final class Fields {

    /** Run ids are UUIDs; anything else that is short and plain is simply not found. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int QUOTE = 64;
    static final int MAX_SUBSETS = 10_000;
    static final int MAX_DEGREE = 10;
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 500;

    private Fields() {
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static String runId(String field, String id) {
        require(!id.isEmpty(), field + " is required");
        require(RUN_ID.matcher(id).matches(), field + " must be 1 to 64 letters, digits, '-', '_' or '.' (a run id), got '"
                + quote(id) + "' (" + id.length() + " characters)");
        return id;
    }

    static long inRange(String field, long v, long min, long max) {
        require(v >= min && v <= max, field + " must be in [" + min + ", " + max + "], got " + v);
        return v;
    }

    /** KID options with their defaults; {@code field} is the options' field name, e.g. {@code kid} or {@code options}. */
    static KidConfig kid(String field, KidOptions o, long maxSubsetSize) {
        int subsets = o.hasSubsets() ? (int) inRange(field + ".subsets", o.getSubsets(), 1, MAX_SUBSETS) : KidConfig.DEFAULT_SUBSETS;
        int subsetSize = o.hasSubsetSize() ? (int) inRange(field + ".subset_size", o.getSubsetSize(), 2, maxSubsetSize)
                : KidConfig.DEFAULT_SUBSET_SIZE;
        return new KidConfig(subsets, subsetSize, o.hasSeed() ? o.getSeed() : KidConfig.DEFAULT_SEED, kernel(field, o));
    }

    /** The poly kernel of KID options: d = 3, γ = 1/dim, c = 1 unless set. */
    static PolynomialKernel kernel(String field, KidOptions o) {
        int degree = o.hasDegree() ? (int) inRange(field + ".degree", o.getDegree(), 1, MAX_DEGREE) : 3;
        Double gamma = null;
        if (o.hasGamma()) {
            require(Double.isFinite(o.getGamma()) && o.getGamma() > 0, field + ".gamma must be finite and > 0, got " + o.getGamma());
            gamma = o.getGamma();
        }
        double coef = 1;
        if (o.hasCoef()) {
            require(Double.isFinite(o.getCoef()) && o.getCoef() >= 0, field + ".coef must be finite and ≥ 0, got " + o.getCoef());
            coef = o.getCoef();
        }
        return new PolynomialKernel(degree, gamma, coef);
    }

    static int pageSize(int requested) {
        if (requested == 0) {
            return DEFAULT_PAGE_SIZE;
        }
        return (int) inRange("page_size", requested, 1, MAX_PAGE_SIZE);
    }

    static String pageToken(long lastStep) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("step:" + lastStep).getBytes(StandardCharsets.UTF_8));
    }

    /** The last step of the previous page, or −1 for the first page. */
    static long afterStep(String token) {
        if (token.isEmpty()) {
            return -1;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            require(text.startsWith("step:"), "bad token");
            return Long.parseLong(text.substring(5));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("page_token is not a token this service issued; pass the next_page_token "
                    + "of the previous response, or none for the first page");
        }
    }

    /** User text as a message quotes it: at most 64 characters, control characters as '?'. */
    static String quote(String text) {
        String shown = text.length() > QUOTE ? text.substring(0, QUOTE) + "…" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
