package dev.mmdgan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders deploy/base and each overlay with {@code kubectl kustomize}, binds every object strictly to the Kubernetes
 * model, and checks what the deployment promises: probes, limits, non-root, credentials from the Secret, the
 * sampler's PDB and autoscaler, and the consumer groups that make scale-out work.
 */
class KustomizeOverlaysTest {

    static final String KUBECTL_HINT = "install kubectl 1.21 or newer, whose `kubectl kustomize` is kustomize v4+ "
            + "(the machine image's `kubectl` package; Debian bookworm's `kubernetes-client` 1.20 embeds kustomize v2, "
            + "too old for these overlays)";
    private static final List<String> SERVICES = List.of("trainer", "sampler", "evaluator");
    private static final Map<String, Integer> PORTS = Map.of("trainer", 8080, "sampler", 8082, "evaluator", 8084);
    private static final Map<String, List<HasMetadata>> RENDERED = new ConcurrentHashMap<>();

    @BeforeAll
    static void kustomizeIsRecentEnough() {
        String version = Tools.check(Tools.repositoryRoot(), KUBECTL_HINT, "kubectl", "version", "--client");
        Matcher m = Pattern.compile("Kustomize Version: v(\\d+)").matcher(version);
        assertThat(m.find() && Integer.parseInt(m.group(1)) >= 4)
                .as("kubectl's kustomize must be v4 or newer, got:%n%s%n%s", version, KUBECTL_HINT).isTrue();
    }

    static List<HasMetadata> render(String dir) {
        return RENDERED.computeIfAbsent(dir, d -> {
            Path root = Tools.repositoryRoot();
            assertThat(root.resolve(d).resolve("kustomization.yaml")).exists();
            return StrictModel.parse(Tools.check(root, KUBECTL_HINT, "kubectl", "kustomize", d));
        });
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    static Optional<EnvVar> env(Container c, String name) {
        return Optional.ofNullable(c.getEnv()).orElse(List.of()).stream().filter(e -> e.getName().equals(name)).findFirst();
    }

    @Test
    void everyOverlayUnderDeployIsChecked() throws Exception {
        try (Stream<Path> dirs = Files.list(Tools.repositoryRoot().resolve("deploy/overlays"))) {
            assertThat(dirs.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("cpu", "dev", "gpu");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/base", "deploy/overlays/cpu", "deploy/overlays/gpu", "deploy/overlays/dev"})
    void servicesHaveProbesLimitsAndRunAsNonRoot(String dir) {
        List<HasMetadata> objects = render(dir);
        for (String name : SERVICES) {
            PodSpec pod = one(objects, Deployment.class, name).getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).as(name).isEqualTo("/q/health/live");
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).as(name).isEqualTo("/q/health/ready");
            assertThat(c.getPorts()).as(name).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).isEqualTo(PORTS.get(name));
            });
            for (String resource : List.of("cpu", "memory")) {
                Quantity request = c.getResources().getRequests().get(resource);
                Quantity limit = c.getResources().getLimits().get(resource);
                assertThat(request).as(name + " request " + resource).isNotNull();
                assertThat(limit).as(name + " limit " + resource).isNotNull();
                assertThat(Quantity.getAmountInBytes(request)).as(name + " " + resource + " request ≤ limit")
                        .isLessThanOrEqualTo(Quantity.getAmountInBytes(limit));
            }
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as(name).isPositive();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(name).contains("ALL");
            assertThat(c.getEnvFrom()).as(name).anySatisfy(e -> assertThat(e.getConfigMapRef().getName())
                    .isEqualTo("mmdgan-config"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/base", "deploy/overlays/cpu", "deploy/overlays/gpu", "deploy/overlays/dev"})
    void credentialsComeFromTheSecretAndNoneIsCommitted(String dir) {
        List<HasMetadata> objects = render(dir);
        assertThat(objects).noneMatch(Secret.class::isInstance);
        for (String name : SERVICES) {
            Container c = one(objects, Deployment.class, name).getSpec().getTemplate().getSpec().getContainers().get(0);
            for (var key : Map.of("MMDGAN_S3_ACCESS_KEY", "s3-access-key", "MMDGAN_S3_SECRET_KEY", "s3-secret-key",
                    "MMDGAN_AUTH_TOKEN", "auth-token").entrySet()) {
                EnvVar e = env(c, key.getKey()).orElseThrow(() -> new AssertionError(name + " lacks " + key.getKey()));
                assertThat(e.getValue()).as(name + " " + key.getKey()).isNull();
                assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("mmdgan-credentials");
                assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(key.getValue());
            }
        }
        // No literal value that looks like a credential anywhere, config maps included.
        for (HasMetadata o : objects) {
            if (o instanceof ConfigMap cm) {
                assertThat(cm.getData().keySet()).noneMatch(k -> k.matches("(?i).*(secret|password|token|access.key).*"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/base", "deploy/overlays/cpu", "deploy/overlays/gpu", "deploy/overlays/dev"})
    void eachServiceHasGrpcAndHttpPorts(String dir) {
        List<HasMetadata> objects = render(dir);
        for (String name : SERVICES) {
            Service s = one(objects, Service.class, name);
            assertThat(s.getSpec().getSelector()).containsEntry("app.kubernetes.io/name", name);
            List<ServicePort> ports = s.getSpec().getPorts();
            assertThat(ports).extracting(ServicePort::getName).contains("grpc", "http");
            assertThat(ports).allSatisfy(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
            assertThat(ports).filteredOn(p -> p.getName().equals("grpc")).singleElement()
                    .satisfies(p -> assertThat(p.getPort()).isEqualTo(PORTS.get(name)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/base", "deploy/overlays/cpu", "deploy/overlays/gpu", "deploy/overlays/dev"})
    void scaleOutAsItWorksToday(String dir) {
        List<HasMetadata> objects = render(dir);
        Deployment trainer = one(objects, Deployment.class, "trainer");
        assertThat(trainer.getSpec().getReplicas()).as("trainer replicas").isEqualTo(1);
        assertThat(trainer.getSpec().getStrategy().getType()).isEqualTo("Recreate");

        Container sampler = one(objects, Deployment.class, "sampler").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(sampler, "POD_NAME").orElseThrow().getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.name");
        assertThat(env(sampler, "MMDGAN_KAFKA_GROUP_ID").orElseThrow().getValue()).contains("$(POD_NAME)");
        int podNameAt = sampler.getEnv().indexOf(env(sampler, "POD_NAME").orElseThrow());
        int groupAt = sampler.getEnv().indexOf(env(sampler, "MMDGAN_KAFKA_GROUP_ID").orElseThrow());
        assertThat(podNameAt).as("POD_NAME is defined before the group id that expands it").isLessThan(groupAt);

        PodDisruptionBudget pdb = one(objects, PodDisruptionBudget.class, "sampler");
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "sampler");
        HorizontalPodAutoscaler hpa = one(objects, HorizontalPodAutoscaler.class, "sampler");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("sampler");
        assertThat(hpa.getSpec().getMinReplicas()).isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
        assertThat(hpa.getSpec().getMetrics()).isNotEmpty();

        Deployment evaluator = one(objects, Deployment.class, "evaluator");
        Container ec = evaluator.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(ec, "MMDGAN_KAFKA_GROUP_ID").orElseThrow().getValue()).isEqualTo("evaluator-service");
        int partitions = Integer.parseInt(one(objects, ConfigMap.class, "mmdgan-config").getData()
                .get("MMDGAN_KAFKA_PARTITIONS"));
        assertThat(evaluator.getSpec().getReplicas()).as("evaluator replicas ≤ partitions").isLessThanOrEqualTo(partitions);
        if (!dir.endsWith("dev")) {
            assertThat(evaluator.getSpec().getReplicas()).as("evaluator replicas").isGreaterThan(1);
            assertThat(hpa.getSpec().getMinReplicas()).as("sampler replicas").isGreaterThan(1);
            assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isPositive();
        }
    }

    @Test
    void gpuOverlayRunsTheTrainerOnTheCudaImageWithOneGpu() {
        Deployment trainer = one(render("deploy/overlays/gpu"), Deployment.class, "trainer");
        PodSpec pod = trainer.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).startsWith("mmdgan/trainer-service:").endsWith("-cuda");
        assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(pod.getNodeSelector()).isNotEmpty();
        assertThat(pod.getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
        // Only the trainer changes.
        assertThat(one(render("deploy/overlays/gpu"), Deployment.class, "sampler").getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).doesNotContain("cuda");
    }

    @Test
    void devOverlayBringsKafkaAndMinioThatTheConfigPointsAt() {
        List<HasMetadata> objects = render("deploy/overlays/dev");
        StatefulSet kafka = one(objects, StatefulSet.class, "kafka");
        Container k = kafka.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(k.getImage()).startsWith("apache/kafka:");
        assertThat(env(k, "KAFKA_PROCESS_ROLES").orElseThrow().getValue()).isEqualTo("broker,controller");
        assertThat(kafka.getSpec().getReplicas()).isEqualTo(1);
        StatefulSet minio = one(objects, StatefulSet.class, "minio");
        Container m = minio.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(m, "MINIO_ROOT_PASSWORD").orElseThrow().getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("mmdgan-credentials");
        for (StatefulSet s : List.of(kafka, minio)) {
            assertThat(s.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(s.getSpec().getVolumeClaimTemplates()).isNotEmpty();
            assertThat(s.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
                    .containsKeys("cpu", "memory");
        }

        Map<String, String> config = one(objects, ConfigMap.class, "mmdgan-config").getData();
        assertThat(servicePort(objects, config.get("MMDGAN_KAFKA_BOOTSTRAP"))).isEqualTo("kafka");
        assertThat(servicePort(objects, config.get("MMDGAN_S3_ENDPOINT").replaceFirst("^https?://", ""))).isEqualTo("minio");
        assertThat(objects).allSatisfy(o -> {
            if (!(o instanceof io.fabric8.kubernetes.api.model.Namespace)) {
                assertThat(o.getMetadata().getNamespace()).as(o.getMetadata().getName()).isEqualTo("mmdgan-dev");
            }
        });
    }

    /** The Service that a host:port address names, if one in the rendered objects has that name and port. */
    private static String servicePort(List<HasMetadata> objects, String address) {
        String host = address.substring(0, address.indexOf(':'));
        int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
        Service s = one(objects, Service.class, host);
        assertThat(s.getSpec().getPorts()).extracting(ServicePort::getPort).as(address).contains(port);
        return s.getMetadata().getName();
    }
}
