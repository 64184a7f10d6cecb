package dev.mmdgan.engine.graph;

import java.io.OutputStream;
import java.io.PrintStream;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Builds a graph's gradient function up front, silently.
 *
 * <p>Why: SameDiff 1.0.0-M2.1 prints "Added differentiated op …" to {@code System.out} for every op while it
 * builds the gradient function, which would corrupt a command's output (e.g. {@code --json}). Building it
 * once at construction, with standard output muted for those milliseconds, keeps training output clean.
 */
public final class GradientFunctions {

    private GradientFunctions() {
    }

    public static synchronized void build(SameDiff sd) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            sd.createGradFunction();
        } finally {
            System.setOut(out);
        }
    }
}
