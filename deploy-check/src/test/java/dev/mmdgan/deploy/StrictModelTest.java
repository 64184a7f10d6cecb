package dev.mmdgan.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The strict binding itself: schema errors that a lenient parse would let through must fail. */
class StrictModelTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: x
            spec:
              selector:
                matchLabels: {app: x}
              template:
                metadata:
                  labels: {app: x}
                spec:
                  containers:
                    - name: x
                      image: x
                      %s
            """;

    @Test
    void bindsAValidObjectToItsModelClass() {
        var objects = StrictModel.parse(DEPLOYMENT.formatted("resources: {limits: {cpu: 500m, memory: 1Gi}}"));
        assertThat(objects).singleElement().isInstanceOf(Deployment.class);
        Deployment d = (Deployment) objects.get(0);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
                .containsKeys("cpu", "memory");
    }

    @Test
    void refusesAFieldTheSchemaDoesNotHave() {
        assertThatThrownBy(() -> StrictModel.parse(DEPLOYMENT.formatted("livenessProbes: {}")))
                .hasMessageContaining("apps/v1/Deployment x")
                .hasMessageContaining("livenessProbes: no such field in Container");
    }

    @Test
    void refusesAValueOfTheWrongType() {
        assertThatThrownBy(() -> StrictModel.parse(DEPLOYMENT.formatted("ports: {containerPort: 80}")))
                .hasMessageContaining("apps/v1/Deployment x");
    }

    @Test
    void refusesAMalformedQuantity() {
        assertThatThrownBy(() -> StrictModel.parse(DEPLOYMENT.formatted("resources: {limits: {memory: lots}}")))
                .hasMessageContaining("malformed quantity 'lots'");
    }

    @Test
    void refusesAKindOrVersionOutsideTheList() {
        assertThatThrownBy(() -> StrictModel.parse("apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\n"
                + "metadata: {name: h}\n"))
                .hasMessageContaining("autoscaling/v1/HorizontalPodAutoscaler h: kind not allowed here");
    }

    @Test
    void aMissingToolFailsWithWhatToInstall() {
        assertThatThrownBy(() -> Tools.run(Tools.repositoryRoot(), "apt-get install no-such-package",
                "mmdgan-no-such-tool", "--version"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("'mmdgan-no-such-tool' is not installed")
                .hasMessageContaining("apt-get install no-such-package");
    }
}
