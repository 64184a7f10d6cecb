/** Models from the object store: checkpoint listing, verified download and loading ({@link dev.mmdgan.sampler.storage.StoredModels}). */
package dev.mmdgan.sampler.storage;
