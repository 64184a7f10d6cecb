package dev.mmdgan.engine.features;

/** Told after every batch of a feature network's training (on the training thread: keep it quick). */
@FunctionalInterface
public interface TrainingProgress {

    TrainingProgress NONE = (epoch, epochs, batch, batches, loss) -> {
    };

    /**
     * @param epoch   1-based epoch
     * @param epochs  epochs in all
     * @param batch   1-based batch within the epoch
     * @param batches batches per epoch
     * @param loss    mean cross-entropy of a recent batch, measured before its step every few batches
     */
    void update(int epoch, int epochs, int batch, int batches, double loss);
}
