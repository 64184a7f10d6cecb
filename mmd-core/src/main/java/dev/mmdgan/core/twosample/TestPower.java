package dev.mmdgan.core.twosample;

import dev.mmdgan.core.kernel.Kernel;
import dev.mmdgan.core.mmd.GramBlocks;
import dev.mmdgan.core.mmd.MmdVariance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The test-power criterion MMD²_u / √V (Gretton's lecture; Sutherland et al.): larger means a more
 * powerful test. Choose kernel parameters on one split of the data and test on another.
 */
public final class TestPower {

    /** Floor of the variance under the square root. */
    public static final double MIN_VARIANCE = 1e-10;

    private TestPower() {
    }

    /** A candidate kernel with its criterion. */
    public record Scored(Kernel kernel, double mmd2, double variance, double criterion) {
    }

    public static Scored score(Kernel kernel, INDArray x, INDArray y) {
        MmdVariance v = MmdVariance.of(GramBlocks.of(kernel, x, y));
        return new Scored(kernel, v.mmd2(), v.variance(), v.mmd2() / Math.sqrt(Math.max(v.variance(), MIN_VARIANCE)));
    }

    /** Every candidate scored, best first. */
    public static List<Scored> rank(List<? extends Kernel> candidates, INDArray x, INDArray y) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidate kernels to choose from");
        }
        List<Scored> scored = new ArrayList<>();
        for (Kernel k : candidates) {
            scored.add(score(k, x, y));
        }
        scored.sort(Comparator.comparingDouble(Scored::criterion).reversed());
        return scored;
    }
}
