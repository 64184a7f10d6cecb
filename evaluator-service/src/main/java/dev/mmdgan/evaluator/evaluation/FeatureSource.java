package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.engine.features.FeatureNetwork;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where the evaluator gets, for the data set a checkpoint was trained on, the fixed feature network KID is computed
 * on and the held-out real samples it is compared with. One implementation per kind of data: {@link MoonsFeatureSource}
 * for 2-D moons; an image classifier plugs in the same way. {@link #of} tries several in order.
 */
public interface FeatureSource {

    /**
     * The network and real samples of one data set.
     *
     * @param key         identifies the real set (same key = same rows in the same order); prepared KID references are
     *                    cached under it and the network's name
     * @param network     the feature network (its {@code name()} labels every KID)
     * @param realSamples held-out real samples, rows as the generator makes them ([n, prod(sampleShape)])
     */
    record HeldOut(String key, FeatureNetwork network, INDArray realSamples) {
    }

    /** Whether this source serves checkpoints of this data set identity (provenance) and sample shape. */
    boolean supports(String datasetIdentity, long[] sampleShape);

    /** The network and held-out set; only called when {@link #supports} said yes. */
    HeldOut heldOut(String datasetIdentity, long[] sampleShape);

    /** A network that embeds uploaded samples of this shape (ComputeKid with images), if this source has one. */
    default Optional<FeatureNetwork> forUploads(long[] sampleShape) {
        return Optional.empty();
    }

    /** Thrown when no source serves a data set: the evaluation fails with FAILED_PRECONDITION, never hangs. */
    final class Unavailable extends dev.mmdgan.service.api.ApiErrors.FailedPrecondition {
        public Unavailable(String message) {
            super(message);
        }
    }

    /** The error for a data set no source serves. */
    static Unavailable unavailable(String datasetIdentity, long[] sampleShape) {
        return new Unavailable("no feature network for data set '" + datasetIdentity + "' (samples of shape "
                + Arrays.toString(sampleShape) + ") is installed in this evaluator, so KID cannot be computed for it; "
                + "this evaluator scores moons (raw-2d features) and 28×28 Fashion-MNIST / MNIST where their IDX folders are "
                + "configured (mmdgan.evaluator.image-data)");
    }

    /** The first of {@code sources} that supports a data set; none is {@link Unavailable}. */
    static FeatureSource of(List<FeatureSource> sources) {
        List<FeatureSource> all = List.copyOf(new ArrayList<>(sources));
        return new FeatureSource() {
            @Override
            public boolean supports(String datasetIdentity, long[] sampleShape) {
                return all.stream().anyMatch(s -> s.supports(datasetIdentity, sampleShape));
            }

            @Override
            public HeldOut heldOut(String datasetIdentity, long[] sampleShape) {
                return all.stream().filter(s -> s.supports(datasetIdentity, sampleShape)).findFirst()
                        .orElseThrow(() -> unavailable(datasetIdentity, sampleShape))
                        .heldOut(datasetIdentity, sampleShape);
            }

            @Override
            public Optional<FeatureNetwork> forUploads(long[] sampleShape) {
                return all.stream().map(s -> s.forUploads(sampleShape)).flatMap(Optional::stream).findFirst();
            }
        };
    }
}
