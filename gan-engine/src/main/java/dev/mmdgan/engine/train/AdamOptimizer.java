package dev.mmdgan.engine.train;

import dev.mmdgan.engine.graph.Parameters;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Adam for one network: one ND4J updater per parameter, all sharing a config whose learning rate can be
 * changed between steps (the evaluator's decay decisions use this).
 */
public final class AdamOptimizer {

    private final Parameters parameters;
    private final Adam config;
    private final double gradientClip;
    private final Map<String, GradientUpdater<?>> updaters = new LinkedHashMap<>();
    private int iteration;

    public AdamOptimizer(Parameters parameters, double learningRate, double beta1, double beta2, double gradientClip) {
        this.parameters = parameters;
        this.config = new Adam(learningRate, beta1, beta2, Adam.DEFAULT_ADAM_EPSILON);
        this.gradientClip = gradientClip;
        parameters.arrays().forEach((name, array) -> updaters.put(name, config.instantiate(
                Nd4j.zeros(array.dataType(), 1, 2 * array.length()), true)));
    }

    /** Applies one update from gradients by full parameter name; the gradient arrays are consumed. */
    public void step(Map<String, INDArray> gradients) {
        for (Map.Entry<String, GradientUpdater<?>> e : updaters.entrySet()) {
            var g = gradients.get(e.getKey());
            if (g == null) {
                throw new IllegalStateException("no gradient for " + e.getKey());
            }
            if (gradientClip > 0) {
                double norm = g.norm2Number().doubleValue();
                if (norm > gradientClip) {
                    g.muli(gradientClip / norm);
                }
            }
            e.getValue().applyUpdater(g, iteration, 0);
            parameters.get(e.getKey()).subi(g);
        }
        iteration++;
    }

    public double learningRate() {
        return config.getLearningRate();
    }

    public void setLearningRate(double learningRate) {
        config.setLearningRate(learningRate);
    }

    public int iteration() {
        return iteration;
    }

    /** Adam's moment estimates of one parameter ("M" and "V"), live views: copy before changing them. */
    public Map<String, INDArray> state(String parameter) {
        return updaters.get(parameter).getState();
    }

    /** Restores the moment estimates and the iteration count saved from an optimizer of the same network. */
    public void restore(Map<String, Map<String, INDArray>> states, int iteration) {
        states.forEach((name, state) -> {
            GradientUpdater<?> u = updaters.get(name);
            if (u == null) {
                throw new IllegalArgumentException("optimizer state for unknown parameter " + name);
            }
            u.getState().forEach((key, live) -> live.assign(state.get(key).reshape(live.shape())));
        });
        this.iteration = iteration;
    }
}
