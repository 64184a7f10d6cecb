package dev.mmdgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmdgan.api.v1.ArchitectureSpec;
import dev.mmdgan.api.v1.DatasetSpec;
import dev.mmdgan.api.v1.GetRunRequest;
import dev.mmdgan.api.v1.KernelSpec;
import dev.mmdgan.api.v1.LossSpec;
import dev.mmdgan.api.v1.OptimizerSpec;
import dev.mmdgan.api.v1.RegularizerSpec;
import dev.mmdgan.api.v1.RunConfig;
import dev.mmdgan.api.v1.StartRunRequest;
import dev.mmdgan.api.v1.TrainerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Malformed StartRun requests: each INVALID_ARGUMENT with a message naming the field and what is allowed. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfra.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalInfra.NAMESPACE, value = "badrequest"))
class BadRequestTest {

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int port;

    private record Case(String expected, UnaryOperator<RunConfig.Builder> change) {
    }

    private static final Case[] CASES = {
        new Case("config.dataset.name is required; allowed: moons, fashion-mnist, mnist, cifar10, npy",
                c -> c.setDataset(DatasetSpec.getDefaultInstance())),
        new Case("config.dataset.name: unknown data set 'imagenet'; allowed: moons",
                c -> c.setDataset(DatasetSpec.newBuilder().setName("imagenet"))),
        new Case("config.dataset.path is required for data set npy", c -> c.setDataset(DatasetSpec.newBuilder().setName("npy"))),
        new Case("config.dataset.path: no such file on the trainer: /nonexistent.npy",
                c -> c.setDataset(DatasetSpec.newBuilder().setName("npy").setPath("/nonexistent.npy"))),
        new Case("config.architecture.name is required; allowed: mlp-2d, dcgan-28, dcgan-32, dcgan-64",
                c -> c.setArchitecture(ArchitectureSpec.getDefaultInstance())),
        new Case("config.architecture.name: unknown architecture 'resnet'; allowed: mlp-2d",
                c -> c.setArchitecture(ArchitectureSpec.newBuilder().setName("resnet"))),
        new Case("config.architecture.name: dcgan-32 makes samples of shape [3, 32, 32] but data set moons has samples of shape [2]",
                c -> c.setArchitecture(ArchitectureSpec.newBuilder().setName("dcgan-32"))),
        new Case("config.architecture.critic_output_dim must be ≥ 1, got 0",
                c -> c.setArchitecture(ArchitectureSpec.newBuilder().setName("mlp-2d").setCriticOutputDim(0))),
        new Case("config.architecture.noise_dim is fixed by the preset",
                c -> c.setArchitecture(ArchitectureSpec.newBuilder().setName("mlp-2d").setNoiseDim(8))),
        new Case("config.loss.name: unknown loss 'wgan'; allowed: mmd, mmd-gp", c -> c.setLoss(LossSpec.newBuilder().setName("wgan"))),
        new Case("config.kernel.name: unknown kernel 'gauss'; allowed:", c -> c.setKernel(KernelSpec.newBuilder().setName("gauss"))),
        new Case("config.kernel.sigmas must be finite and > 0, got -1.0",
                c -> c.setKernel(KernelSpec.newBuilder().setName("rbf-mix").addSigmas(-1))),
        new Case("config.steps must be in [1, 10000000], got 0", c -> c.setSteps(0)),
        new Case("config.steps must be in [1, 10000000], got 100000000", c -> c.setSteps(100_000_000)),
        new Case("config.batch_size must be in [2, 4096] (unbiased MMD² needs pairs), got 1", c -> c.setBatchSize(1)),
        new Case("config.n_critic must be in [1, 100], got 0", c -> c.setNCritic(0)),
        new Case("config.optimizer.lr_generator must be in (0, 1), got -0.001",
                c -> c.setOptimizer(OptimizerSpec.newBuilder().setLrGenerator(-1e-3))),
        new Case("config.optimizer.lr_critic must be in (0, 1), got NaN", c -> c.setOptimizer(OptimizerSpec.newBuilder().setLrCritic(Double.NaN))),
        new Case("config.optimizer.beta2 must be in [0, 1), got 1.0", c -> c.setOptimizer(OptimizerSpec.newBuilder().setBeta2(1))),
        new Case("config.regularizers.spectral_norm_constant must be > 0, got 0.0",
                c -> c.setRegularizers(RegularizerSpec.newBuilder().setSpectralNormConstant(0))),
        new Case("config.regularizers.gradient_clip must be ≥ 0 (0 = off), got -1.0",
                c -> c.setRegularizers(RegularizerSpec.newBuilder().setGradientClip(-1))),
        new Case("config.checkpoint_every must be ≥ 0 (0 = only at the end), got -5", c -> c.setCheckpointEvery(-5)),
        new Case("config.metrics_every must be ≥ 1, got 0", c -> c.setMetricsEvery(0)),
    };

    @BeforeEach
    void ready() throws InterruptedException {
        TrainerCalls.awaitReady(port);
    }

    @Test
    void malformedStartRunsAreInvalidArgumentWithAPreciseMessage() throws Exception {
        ManagedChannel channel = TrainerCalls.channel(port);
        try {
            var trainer = TrainerCalls.trainer(channel);
            int runsBefore = trainer.listRuns(dev.mmdgan.api.v1.ListRunsRequest.getDefaultInstance()).getRunsCount();
            assertThatThrownBy(() -> trainer.startRun(StartRunRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).isEqualTo("config is required");
                    });
            for (Case c : CASES) {
                RunConfig config = c.change().apply(TrainerServiceTest.tinyRun(10)).build();
                assertThatThrownBy(() -> trainer.startRun(StartRunRequest.newBuilder().setConfig(config).build()))
                        .as(c.expected()).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).as(c.expected()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(e.getStatus().getDescription()).startsWith(c.expected());
                        });
            }
            // Nothing was queued, and the service is still healthy and answering.
            assertThat(trainer.listRuns(dev.mmdgan.api.v1.ListRunsRequest.getDefaultInstance()).getRunsCount()).isEqualTo(runsBefore);
            assertThatThrownBy(() -> trainer.getRun(GetRunRequest.newBuilder().setRunId("nope").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            var health = grpc.health.v1.HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
                    .check(grpc.health.v1.HealthOuterClass.HealthCheckRequest.getDefaultInstance());
            assertThat(health.getStatus()).isEqualTo(grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            channel.shutdownNow();
        }
    }
}
