package dev.mmdgan.cli;

import dev.mmdgan.core.kid.KidConfig;
import dev.mmdgan.core.kid.KidReference;
import dev.mmdgan.core.kid.KidResult;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;

/** Loads the native backend and computes a small KID on random data: a quick "does it work here" check. */
@Command(name = "self-check", mixinStandardHelpOptions = true,
        description = "Check that ND4J's native backend loads and computes a small KID on random data.")
final class SelfCheckCommand extends ReportingCommand {

    @Override
    JsonReport report() {
        Nd4j.getRandom().setSeed(0);
        INDArray real = Nd4j.rand(DataType.FLOAT, 300, 64);
        INDArray fake = Nd4j.rand(DataType.FLOAT, 300, 64).muli(1.1);
        KidResult kid = KidReference.kid(real, fake, KidConfig.defaults().withSubsets(10, 200));
        return new JsonReport()
                .put("backend", Nd4j.getBackend().getClass().getSimpleName())
                .put("native_extension", System.getProperty("org.bytedeco.javacpp.platform.extension", ""))
                .put("cpu_cores", Runtime.getRuntime().availableProcessors())
                .put("java", Runtime.version().toString())
                .put("kid_mean", kid.mean())
                .put("ok", kid.mean() > 0);
    }
}
