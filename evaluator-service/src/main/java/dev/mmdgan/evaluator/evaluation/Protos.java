package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.api.v1.DecisionKind;
import dev.mmdgan.api.v1.KidEstimator;
import dev.mmdgan.api.v1.KidResult;
import dev.mmdgan.api.v1.RelativeTestResult;
import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.relative.DecayDecision;

/** mmd-core results as mmdgan.v1 messages. */
public final class Protos {

    private Protos() {
    }

    /** A subsets KID (a null config means the block estimator). */
    public static KidResult kid(dev.mmdgan.core.kid.KidResult k, String featureNetwork, KidConfig config) {
        KidResult.Builder b = KidResult.newBuilder().setMean(k.mean()).setStd(k.std()).setStderr(k.stderr())
                .setSubsets(k.subsets()).setSubsetSize(k.subsetSize()).setFeatureDim((int) k.featureDim())
                .setNReal(k.nReal()).setNFake(k.nFake()).setFeatureNetwork(featureNetwork);
        if (config == null) {
            return b.setEstimator(KidEstimator.KID_ESTIMATOR_BLOCKS).build();
        }
        return b.setEstimator(KidEstimator.KID_ESTIMATOR_SUBSETS).setSeed(config.seed()).build();
    }

    public static DecisionKind kind(DecayDecision.Kind kind) {
        return switch (kind) {
            case WARMUP -> DecisionKind.DECISION_KIND_WARMUP;
            case PASS -> DecisionKind.DECISION_KIND_PASS;
            case FAIL -> DecisionKind.DECISION_KIND_FAIL;
            case DECAY -> DecisionKind.DECISION_KIND_DECAY;
        };
    }

    public static RelativeTestResult test(dev.mmdgan.core.relative.RelativeTestResult t, long previousStep) {
        return RelativeTestResult.newBuilder().setDiff(t.diff()).setVariance(t.variance()).setRatio(t.ratio())
                .setPValue(t.pValue()).setPreviousStep(previousStep).build();
    }
}
