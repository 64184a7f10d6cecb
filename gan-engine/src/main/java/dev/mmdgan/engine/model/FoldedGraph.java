package dev.mmdgan.engine.model;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.optimize.GraphOptimizer;
import org.nd4j.autodiff.samediff.optimize.optimizations.ConstantFunctionOptimizations;

/**
 * A stored graph made ready for inference only: its trained weights become constants, and SameDiff's constant
 * folding then computes once every op whose inputs are all constants. In a generator that is the rearrangement of
 * each transposed convolution's kernel and batch norm's scale, about a third of the ops; a one-row call then costs
 * about half as much, since at that size the per-op overhead, not the arithmetic, is the time.
 *
 * <p>The folded ops are the graph's own ops run on the same values, so the folded graph computes the same bits;
 * {@link GeneratorModel} still compares the two before it serves the folded one. Only the constant-folding set of
 * SameDiff's optimizer is used: in 1.0.0-M2.1 its default set fails on graphs whose variables became constants.
 */
final class FoldedGraph {

    private FoldedGraph() {
    }

    /** A folded copy of {@code graph} that computes {@code output}; {@code graph} itself is left as it was. */
    static SameDiff of(SameDiff graph, String output) {
        SameDiff copy = graph.dup();
        List<SDVariable> weights = copy.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE).toList();
        copy.convertToConstants(weights);
        return GraphOptimizer.optimize(copy, List.of(output), List.of(new ConstantFunctionOptimizations()));
    }
}
