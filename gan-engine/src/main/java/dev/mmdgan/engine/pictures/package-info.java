/**
 * Pictures of samples: PNG grids of images ({@link dev.mmdgan.engine.pictures.ImageGrid}) and 2-D scatter plots over
 * the witness function ({@link dev.mmdgan.engine.pictures.WitnessPlot}), as files or bytes, for the CLI and the services.
 */
package dev.mmdgan.engine.pictures;
