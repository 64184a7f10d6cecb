package dev.mmdgan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mmdgan runs download}: a checkpoint of a run trained by the service, from its store to a local folder. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download a run's checkpoint from the trainer's store into DIR: the newest complete one, or that of --step.",
                "The files are verified against the checkpoint's manifest. DIR then works with 'mmdgan sample --checkpoint DIR'."})
final class RunsDownloadCommand extends ReportingCommand {

    @Mixin
    StoreOptions store;

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--step", paramLabel = "N", description = "The checkpoint at generator step N (default: the newest complete one).")
    Long step;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to create (or an empty one) for the checkpoint.")
    Path out;

    @Override
    JsonReport report() throws IOException {
        if (Files.exists(out) && !Folders.isEmptyFolder(out)) {
            throw new IllegalArgumentException("--out " + out + " already exists and is not an empty folder");
        }
        Path target = out.toAbsolutePath().normalize();
        try (RunStore runs = store.open(null)) {
            StoredCheckpoint found = runs.locate(new StoredCheckpoint(runs.bucket(), runId, step));
            Files.createDirectories(target.getParent());
            // Downloaded beside DIR and renamed into place once verified: DIR never holds a partial checkpoint.
            Path partial = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
            try {
                runs.download(found, partial);
                Files.deleteIfExists(target); // an empty folder
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Folders.deleteRecursively(partial);
            }
            return new JsonReport()
                    .put("run_id", runId)
                    .put("step", found.step())
                    .put("source", found.uri())
                    .put("out", out.toString());
        }
    }
}
