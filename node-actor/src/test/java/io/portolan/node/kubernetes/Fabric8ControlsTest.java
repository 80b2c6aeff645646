package io.portolan.node.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.portolan.node.kubernetes.KubernetesControls.Scale;
import io.portolan.node.kubernetes.KubernetesControls.Scale.Direction;
import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.ClusterMessage;
import io.portolan.protocol.Keys;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The controls against the CRUD mock: each one is checked by reading the object back from the API. */
class Fabric8ControlsTest {

  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  KubernetesMockServer server;
  KubernetesClient client;
  Fabric8Controls controls;
  KubernetesControlHandler handler;

  @BeforeEach
  void start() {
    server = MockApi.start();
    client = server.createClient();
    controls = new Fabric8Controls(client, KubernetesSettings.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
    handler = new KubernetesControlHandler(controls, "default");
    client.resource(KubeFixtures.namespace("shop")).create();
    client.resource(KubeFixtures.deployment("shop", "web", 2, 2)).create();
    client.resource(KubeFixtures.statefulSet("shop", "db", 1)).create();
    client.resource(KubeFixtures.pod("shop", "web-1", "web", null, "node-a", "c0ffee01", 0)).create();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  int deploymentReplicas() {
    return client.apps().deployments().inNamespace("shop").withName("web").get().getSpec().getReplicas();
  }

  @Test
  void scaleChangesReplicasInTheApi() {
    assertThat(controls.scale(KubernetesControls.Scalable.Deployment, "shop", "web", new Scale(Direction.TO, 5)))
        .isEqualTo(5);
    assertThat(deploymentReplicas()).isEqualTo(5);
    controls.scale(KubernetesControls.Scalable.Deployment, "shop", "web", new Scale(Direction.UP, 2));
    assertThat(deploymentReplicas()).isEqualTo(7);
    controls.scale(KubernetesControls.Scalable.Deployment, "shop", "web", new Scale(Direction.DOWN, 10));
    assertThat(deploymentReplicas()).isZero();

    controls.scale(KubernetesControls.Scalable.StatefulSet, "shop", "db", new Scale(Direction.UP, 1));
    assertThat(client.apps().statefulSets().inNamespace("shop").withName("db").get().getSpec().getReplicas())
        .isEqualTo(2);

    assertThatThrownBy(() -> controls.scale(KubernetesControls.Scalable.Deployment, "shop", "nope",
        new Scale(Direction.TO, 1))).hasMessage("Deployment shop/nope does not exist");
  }

  @Test
  void rolloutRestartAnnotatesThePodTemplate() {
    assertThat(controls.rolloutRestart(KubernetesControls.Restartable.Deployment, "shop", "web"))
        .isEqualTo("2026-11-23T12:00:00Z");
    var template = client.apps().deployments().inNamespace("shop").withName("web").get().getSpec().getTemplate();
    assertThat(template.getMetadata().getAnnotations())
        .containsEntry(Fabric8Controls.RESTARTED_AT, "2026-11-23T12:00:00Z");
    assertThat(template.getMetadata().getLabels()).containsEntry("app", "web");
    controls.rolloutRestart(KubernetesControls.Restartable.StatefulSet, "shop", "db");
    assertThat(client.apps().statefulSets().inNamespace("shop").withName("db").get().getSpec().getTemplate()
        .getMetadata().getAnnotations()).containsKey(Fabric8Controls.RESTARTED_AT);
  }

  @Test
  void deletePodRemovesIt() {
    controls.deletePod("shop", "web-1");
    assertThat(client.pods().inNamespace("shop").withName("web-1").get()).isNull();
    assertThatThrownBy(() -> controls.deletePod("shop", "web-1")).hasMessage("pod shop/web-1 does not exist");
  }

  @Test
  void logsTailTheContainer() {
    server.expect().get()
        .withPath("/api/v1/namespaces/shop/pods/web-1/log?pretty=false&container=web&tailLines=2&limitBytes=1048576")
        .andReturn(200, "line 9\nline 10\n").once();
    assertThat(controls.logs("shop", "web-1", "web", 2)).isEqualTo("line 9\nline 10\n");
  }

  @Test
  void describeIsYamlWithoutManagedFieldsAndRefusesSecrets() {
    String yaml = controls.describe("Deployment", "shop", "web");
    assertThat(yaml).contains("kind: \"Deployment\"").contains("name: \"web\"").doesNotContain("managedFields");
    assertThat(controls.describe("Namespace", "", "shop")).contains("kind: \"Namespace\"");
    assertThatThrownBy(() -> controls.describe("Secret", "shop", "token")).hasMessageContaining("cannot describe a Secret");
  }

  @Test
  void controlRequestsOnEntryKeys() {
    String web = Keys.workload("default", "shop", "Deployment", "web");
    AgentMessage.ControlReply reply = handler.handle(
        new ClusterMessage.ControlRequest("r-1", web, KubernetesControlHandler.SCALE, Map.of("replicas", "3")));
    assertThat(reply.ok()).isTrue();
    assertThat(reply.result()).containsEntry("replicas", "3");
    assertThat(deploymentReplicas()).isEqualTo(3);

    reply = handler.handle(new ClusterMessage.ControlRequest("r-2", web, KubernetesControlHandler.SCALE_DOWN, Map.of()));
    assertThat(reply.result()).containsEntry("replicas", "2");

    reply = handler.handle(new ClusterMessage.ControlRequest("r-3", Keys.pod("default", "shop", "web-1"),
        KubernetesControlHandler.DELETE, Map.of()));
    assertThat(reply.ok()).isTrue();
    assertThat(client.pods().inNamespace("shop").withName("web-1").get()).isNull();

    reply = handler.handle(new ClusterMessage.ControlRequest("r-4", web, KubernetesControlHandler.SCALE,
        Map.of("replicas", "many")));
    assertThat(reply.ok()).isFalse();
    assertThat(reply.message()).isEqualTo("argument 'replicas' must be a whole number (got 'many')");

    reply = handler.handle(new ClusterMessage.ControlRequest("r-5", Keys.workload("other", "shop", "Deployment", "web"),
        KubernetesControlHandler.RESTART, Map.of()));
    assertThat(reply.ok()).isFalse();
    assertThat(reply.message()).contains("belongs to Kubernetes cluster 'other'");

    reply = handler.handle(new ClusterMessage.ControlRequest("r-6", Keys.workload("default", "shop", "DaemonSet", "x"),
        KubernetesControlHandler.SCALE, Map.of("replicas", "2")));
    assertThat(reply.message()).contains("cannot be scaled");
    assertThat(KubernetesControlHandler.handles(web)).isTrue();
    assertThat(KubernetesControlHandler.handles(Keys.container("abc"))).isFalse();
  }
}
