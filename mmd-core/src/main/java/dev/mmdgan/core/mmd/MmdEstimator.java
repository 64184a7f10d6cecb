package dev.mmdgan.core.mmd;

/** How within-set and cross sums are averaged into MMD². */
public enum MmdEstimator {
    /** Within-set means without the diagonal, cross mean over all m·n pairs (the default). */
    UNBIASED,
    /** As UNBIASED, but the cross mean also drops i = j (needs m = n; richardwth's form). */
    U_STATISTIC,
    /** V-statistic: every mean over all pairs, diagonals included (OctoberChang's form). */
    BIASED
}
