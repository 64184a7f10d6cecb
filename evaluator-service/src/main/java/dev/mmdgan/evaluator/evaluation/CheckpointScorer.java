package dev.mmdgan.evaluator.evaluation;

import dev.mmdgan.core.kernel.Kernels;
import dev.mmdgan.core.kernel.PolynomialKernel;
import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.kid.KidResult;
import dev.mmdgan.core.mmd.Mmd;
import dev.mmdgan.core.relative.EvaluationSums;
import dev.mmdgan.engine.checkpoint.CheckpointProvenance;
import dev.mmdgan.engine.features.KidEvaluator;
import dev.mmdgan.engine.model.GeneratorModel;
import dev.mmdgan.engine.pictures.ImageGrid;
import dev.mmdgan.engine.pictures.WitnessPlot;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Scores one downloaded checkpoint: generates samples from fixed noise seeds, embeds them with the data set's feature
 * network, computes KID against the cached real reference, the sums the relative test keeps (docs/methods.md §8.1), and
 * the picture stored beside the evaluation. Pure computation: no store, no events, no state.
 */
public final class CheckpointScorer {

    /** What one checkpoint scored. {@code sums} is null when the relative test was not asked for. */
    public record Scored(KidResult kid, String featureNetwork, EvaluationSums sums, byte[] picture,
                         CheckpointProvenance provenance, String timings) {
    }

    private final FeatureSource features;
    private final ReferenceCache references;
    private final long sampleSeed;
    private final int pictureSamples;

    public CheckpointScorer(FeatureSource features, ReferenceCache references, long sampleSeed, int pictureSamples) {
        this.features = features;
        this.references = references;
        this.sampleSeed = sampleSeed;
        this.pictureSamples = pictureSamples;
    }

    /**
     * @param relativeSamples rows of the relative test, or 0 for none
     * @throws FeatureSource.Unavailable when no feature network serves the checkpoint's data set
     */
    public Scored score(Path checkpoint, int samples, KidConfig kid, int relativeSamples, String title) {
        Timings t = new Timings();
        try (GeneratorModel model = GeneratorModel.load(checkpoint)) {
            t.lap("load");
            CheckpointProvenance provenance = model.provenance();
            long[] shape = model.sampleShape();
            if (!features.supports(provenance.dataset(), shape)) {
                throw FeatureSource.unavailable(provenance.dataset(), shape);
            }
            FeatureSource.HeldOut heldOut = features.heldOut(provenance.dataset(), shape);
            KidEvaluator prepared = references.get(heldOut, kid);
            t.lap("reference");
            long[] seeds = new long[samples];
            for (int i = 0; i < samples; i++) {
                seeds[i] = sampleSeed + i;
            }
            INDArray generated = model.generate(seeds);
            t.lap("generate");
            KidEvaluator.Evaluation scored = prepared.evaluate(generated);
            t.split("embed", scored.embedSeconds(), "kid", scored.kidSeconds());
            INDArray fake = scored.features();
            KidResult result = scored.kid();
            EvaluationSums sums = null;
            if (relativeSamples > 0) {
                if (prepared.realFeatures().rows() < relativeSamples) {
                    throw new IllegalStateException("the real set has " + prepared.realFeatures().rows()
                            + " rows, fewer than the relative test's " + relativeSamples);
                }
                // The first rows of the real set: X of the relative test, the same rows for every evaluation.
                sums = EvaluationSums.of(PolynomialKernel.KID, first(prepared.realFeatures(), relativeSamples), first(fake, relativeSamples));
                t.lap("relative");
            }
            byte[] picture = picture(shape, generated, heldOut.realSamples(), title);
            t.lap("picture");
            return new Scored(result, prepared.network().name(), sums, picture, provenance, t.toString());
        }
    }

    /** A PNG grid of images, or for 2-D data the real and generated points over the witness function; else none. */
    private byte[] picture(long[] shape, INDArray generated, INDArray real, String title) {
        int n = (int) Math.min(pictureSamples, generated.rows());
        if (shape.length == 3 && (shape[0] == 1 || shape[0] == 3)) {
            return ImageGrid.png(first(generated, n), shape, 2);
        }
        if (shape.length == 1 && shape[0] == 2) {
            // More points than the grid shows samples: a 2-D plot of 64 points says little.
            int points = (int) Math.min(Math.max(n, 500), Math.min(generated.rows(), real.rows()));
            INDArray x = first(real, points);
            INDArray y = first(generated, points);
            // One bandwidth at the scale of the moons' width: the heat map is 14,400 witness values, its cost dominates.
            var kernel = Kernels.byName("rbf-mix", java.util.List.of(0.5), java.util.List.of());
            return WitnessPlot.png(x, y, grid -> Mmd.witness(kernel, x, y, grid), title);
        }
        return null;
    }

    /** Wall time of each phase, for the log. */
    private static final class Timings {
        private final StringBuilder text = new StringBuilder();
        private long last = System.nanoTime();

        void lap(String phase) {
            long now = System.nanoTime();
            append(phase, (now - last) / 1_000_000);
            last = now;
        }

        /** Two phases that ended now, timed by the callee. */
        void split(String first, double firstSeconds, String second, double secondSeconds) {
            append(first, Math.round(firstSeconds * 1000));
            append(second, Math.round(secondSeconds * 1000));
            last = System.nanoTime();
        }

        private void append(String phase, long millis) {
            text.append(text.isEmpty() ? "" : ", ").append(phase).append(' ').append(millis).append(" ms");
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private static INDArray first(INDArray rows, int n) {
        return rows.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup();
    }
}
