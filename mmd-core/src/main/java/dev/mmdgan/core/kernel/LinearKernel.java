package dev.mmdgan.core.kernel;


/** {@code linear}: k(a, b) = ⟨a, b⟩. Its MMD² is the squared distance between the means. */
public record LinearKernel() implements Kernel {

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public <T> T apply(TensorAlgebra<T> ops, PairTerms<T> pairs) {
        return pairs.dot();
    }

    @Override
    public <T> KernelPartials<T> partials(TensorAlgebra<T> ops, PairTerms<T> pairs) {
        return new KernelPartials<>(ops.shift(ops.scale(pairs.dot(), 0), 1), null);
    }

    @Override
    public double value(double dot, double sqNormA, double sqNormB) {
        return dot;
    }
}
