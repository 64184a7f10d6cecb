package dev.mmdgan.service;

import dev.mmdgan.api.v1.Provenance;
import dev.mmdgan.engine.checkpoint.CheckpointProvenance;
import java.util.Properties;

/** Provenance messages for events and API answers, from what a checkpoint records. */
public final class Provenances {

    private Provenances() {
    }

    /** The provenance of a checkpoint, from its {@code checkpoint.properties}, as produced by {@code producer}. */
    public static Provenance of(Properties checkpointMetadata, String producer) {
        CheckpointProvenance p = CheckpointProvenance.of(checkpointMetadata);
        return Provenance.newBuilder().setCodeVersion(p.codeVersion()).setGitCommit(p.gitCommit()).setDataset(p.dataset())
                .setDatasetSha256(p.datasetSha256()).setConfigSha256(p.configSha256()).setProducer(producer)
                .setCreatedAt(Timestamps.now()).build();
    }
}
