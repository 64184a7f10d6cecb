/**
 * The SameDiff side of the engine: {@link dev.mmdgan.engine.graph.SameDiffAlgebra} evaluates mmd-core's kernel
 * definitions on graph variables, {@link dev.mmdgan.engine.graph.Parameters} holds a network's weights (shared by
 * every graph that uses them) and non-trainable state, and {@link dev.mmdgan.engine.graph.Architecture} builds
 * generator and critic: {@link dev.mmdgan.engine.graph.Mlp2d} and the {@link dev.mmdgan.engine.graph.Dcgan}
 * presets, from {@link dev.mmdgan.engine.graph.Convolutions} (transposed convolutions without libnd4j's slow
 * deconv2d), {@link dev.mmdgan.engine.graph.BatchNorm} and {@link dev.mmdgan.engine.graph.SpectralNorm}
 * (PIM, PICO, learned scale). A {@link dev.mmdgan.engine.graph.CriticPass} gives the critic's input gradient as
 * forward ops, since SameDiff cannot differentiate a gradient. {@link dev.mmdgan.engine.graph.ArrayPool} lets a
 * graph's sessions reuse their arrays from one step to the next.
 */
package dev.mmdgan.engine.graph;
