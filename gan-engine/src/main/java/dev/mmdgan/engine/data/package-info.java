/** Training data: a {@link dev.mmdgan.engine.data.Dataset} holds a training split and a held-out split. */
package dev.mmdgan.engine.data;
