package dev.mmdgan.examples;

import dev.mmdgan.api.v1.ArchitectureSpec;
import dev.mmdgan.api.v1.DatasetSpec;
import dev.mmdgan.api.v1.Evaluation;
import dev.mmdgan.api.v1.EvaluatorServiceGrpc;
import dev.mmdgan.api.v1.GenerateRequest;
import dev.mmdgan.api.v1.GenerateResponse;
import dev.mmdgan.api.v1.KernelSpec;
import dev.mmdgan.api.v1.LossSpec;
import dev.mmdgan.api.v1.OptimizerSpec;
import dev.mmdgan.api.v1.Run;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.SampleFormat;
import dev.mmdgan.api.v1.SamplerServiceGrpc;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import dev.mmdgan.api.v1.WatchEvaluationsRequest;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Starts a Fashion-MNIST run on the trainer, waits for the evaluator's first evaluation of it (KID), and fetches a
 * grid of 64 samples from the sampler as a PNG. Only the published API is used: the generated stubs of mmdgan-proto
 * over plain gRPC.
 *
 * <pre>
 * java -jar examples/java-client/target/java-client.jar [grid.png]
 * </pre>
 *
 * Addresses come from MMDGAN_TRAINER, MMDGAN_EVALUATOR and MMDGAN_SAMPLER (host:port; defaults 127.0.0.1:8080, :8084,
 * :8082, as {@code ./mmdgan up} starts them); MMDGAN_AUTH_TOKEN, when set, is sent as a bearer token. The run is the
 * README's recipe, 1,000 steps with a checkpoint every 250; MMDGAN_QUICKSTART_STEPS and
 * MMDGAN_QUICKSTART_CHECKPOINT_EVERY make it shorter (the end-to-end test uses 40 and 20).
 */
public final class QuickstartClient {

    /** How long to wait for the first evaluation: the first checkpoint plus its evaluation, on a small CPU. */
    private static final long EVALUATION_WAIT_MINUTES = 20;
    private static final long CALL_DEADLINE_SECONDS = 60;

    private QuickstartClient() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path out = Path.of(args.length > 0 ? args[0] : "grid.png");
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            ManagedChannel trainerChannel = open(channels, "MMDGAN_TRAINER", "127.0.0.1:8080");
            ManagedChannel evaluatorChannel = open(channels, "MMDGAN_EVALUATOR", "127.0.0.1:8084");
            ManagedChannel samplerChannel = open(channels, "MMDGAN_SAMPLER", "127.0.0.1:8082");
            ClientInterceptor auth = bearerToken();

            // Watch every run's evaluations before the run exists, so that its first evaluation cannot be missed.
            Context.CancellableContext watch = Context.current().withCancellation();
            Iterator<Evaluation> evaluations;
            Context previous = watch.attach();
            try {
                evaluations = EvaluatorServiceGrpc.newBlockingStub(evaluatorChannel).withInterceptors(auth)
                        .withDeadlineAfter(EVALUATION_WAIT_MINUTES, TimeUnit.MINUTES)
                        .watchEvaluations(WatchEvaluationsRequest.getDefaultInstance());
            } finally {
                watch.detach(previous);
            }

            Run run = TrainerServiceGrpc.newBlockingStub(trainerChannel).withInterceptors(auth)
                    .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .startRun(StartRunRequest.newBuilder().setConfig(demoConfig())
                            // One key per invocation: a retried call cannot start a second run, a second invocation does.
                            .setIdempotencyKey("java-client-quickstart-" + UUID.randomUUID()).build());
            System.out.println("run " + run.getRunId() + " is " + run.getState());

            Evaluation first = null;
            while (first == null && evaluations.hasNext()) {
                Evaluation e = evaluations.next();
                if (e.getRunId().equals(run.getRunId())) {
                    first = e;
                }
            }
            watch.cancel(null);
            if (first == null) {
                throw new IllegalStateException("the evaluator's stream ended before an evaluation of " + run.getRunId());
            }
            System.out.printf("step %d: KID %.5f ± %.5f (%d subsets of %d)%n", first.getGeneratorStep(),
                    first.getKid().getMean(), first.getKid().getStderr(), first.getKid().getSubsets(),
                    first.getKid().getSubsetSize());

            GenerateResponse grid = SamplerServiceGrpc.newBlockingStub(samplerChannel).withInterceptors(auth)
                    .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .generate(GenerateRequest.newBuilder().setRunId(run.getRunId()).setN(64).setSeed(1)
                            .setFormat(SampleFormat.SAMPLE_FORMAT_PNG_GRID).build());
            Files.write(out, grid.getPng().toByteArray());
            System.out.println("64 samples of step " + grid.getModel().getCheckpoint().getGeneratorStep() + " in " + out);
        } catch (StatusRuntimeException e) {
            Throwable cause = e.getStatus().getCause();
            System.err.println("call failed: " + e.getStatus().getCode() + " " + e.getStatus().getDescription()
                    + (cause == null ? "" : " (" + cause.getMessage() + ")"));
            System.exit(1);
        } finally {
            for (ManagedChannel c : channels) {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The README's Fashion-MNIST recipe (dcgan-28, MMD with gradient penalty, rational-quadratic kernels), short. */
    static RunConfig demoConfig() {
        return RunConfig.newBuilder()
                .setDataset(DatasetSpec.newBuilder().setName("fashion-mnist"))
                .setArchitecture(ArchitectureSpec.newBuilder().setName("dcgan-28").setCriticOutputDim(128))
                .setLoss(LossSpec.newBuilder().setName("mmd-gp"))
                .setKernel(KernelSpec.newBuilder().setName("rq-mix"))
                .setOptimizer(OptimizerSpec.newBuilder().setLrGenerator(2e-4).setLrCritic(2e-4).setBeta2(0.999))
                .setNCritic(1).setBatchSize(64).setSteps(setting("MMDGAN_QUICKSTART_STEPS", 1000))
                .setCheckpointEvery(setting("MMDGAN_QUICKSTART_CHECKPOINT_EVERY", 250)).setSeed(0)
                .setDisplayName("java-client quickstart")
                .build();
    }

    private static long setting(String variable, long fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
    }

    private static ManagedChannel open(List<ManagedChannel> channels, String variable, String fallback) {
        String address = System.getenv().getOrDefault(variable, fallback);
        ManagedChannel channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    private static ClientInterceptor bearerToken() {
        Metadata headers = new Metadata();
        String token = System.getenv("MMDGAN_AUTH_TOKEN");
        if (token != null && !token.isEmpty()) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }
}
