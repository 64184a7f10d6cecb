/**
 * The SameDiff side of the engine: {@link dev.mmdgan.engine.graph.SameDiffAlgebra} evaluates mmd-core's kernel
 * definitions on graph variables, {@link dev.mmdgan.engine.graph.Parameters} holds a network's weights (shared by
 * every graph that uses them), and {@link dev.mmdgan.engine.graph.Architecture} builds generator and critic.
 */
package dev.mmdgan.engine.graph;
