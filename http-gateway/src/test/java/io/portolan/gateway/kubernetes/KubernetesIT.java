package io.portolan.gateway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.portolan.gateway.testing.AgentTestbed;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.HttpCalls.Reply;
import io.portolan.gateway.testing.TestNode;
import io.portolan.node.kubernetes.KubeFixtures;
import io.portolan.node.kubernetes.MockApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes end to end: fabric8's mock API (CRUD) → the real agent's leader-elected watcher → the
 * cluster's views; and controls from the API through the agent back to the Kubernetes API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesIT {

  private static final String CLUSTER = "it";
  private static final String WEB = "workload:" + CLUSTER + "/shop/deployment/web";
  private static final String POD = "pod:" + CLUSTER + "/shop/web-abc12-x1";

  @TempDir
  static Path dir;
  private static KubernetesMockServer server;
  private static KubernetesClient kube;
  private static AgentTestbed bed;
  private static TestNode node;
  private static HttpCalls.Client operator;
  private static HttpCalls.Client viewer;

  @BeforeAll
  static void start() throws Exception {
    server = MockApi.start();
    kube = server.createClient();
    kube.resource(KubeFixtures.namespace("shop")).create();
    kube.resource(KubeFixtures.deployment("shop", "web", 2, 2)).create();
    kube.resource(KubeFixtures.replicaSet("shop", "web", "abc12", 2)).create();
    kube.resource(KubeFixtures.pod("shop", "web-abc12-x1", "web", "web-abc12", "node-a", "c0ffee01", 0)).create();
    kube.resource(KubeFixtures.service("shop", "web", "web")).create();
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
        users: [{name: mock, user: {token: test}}]
        contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: default}}]
        current-context: mock
        """.formatted(kube.getMasterUrl()));

    bed = AgentTestbed.start("kubernetes");
    node = bed.node;
    operator = bed.operator;
    viewer = bed.viewer;
    bed.startAgent("k8s-it", Map.of(
        "portolan.node.kubernetes.enabled", true,
        "portolan.node.kubernetes.cluster-name", CLUSTER,
        "portolan.node.kubernetes.kubeconfig", kubeconfig.toString(),
        "portolan.node.kubernetes.identity", "k8s-it-agent"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) {
      bed.close();
    }
    if (kube != null) {
      kube.close();
      server.destroy();
    }
  }

  @Test
  @Order(1)
  void theViewsShowTheClustersObjects() {
    JsonNode pods = await("pods", v -> ids(v).contains(POD), Duration.ofSeconds(60));
    assertThat(pods.at("/nodes/0/namespace").asText()).isEqualTo("shop");
    assertThat(ids(await("deployments", v -> ids(v).contains(WEB), Duration.ofSeconds(10)))).containsExactly(WEB);
    assertThat(ids(await("services", v -> !ids(v).isEmpty(), Duration.ofSeconds(10))))
        .containsExactly("service:" + CLUSTER + "/shop/web");
    assertThat(ids(await("namespaces", v -> !ids(v).isEmpty(), Duration.ofSeconds(10))))
        .contains("namespace:" + CLUSTER + "/shop");
    assertThat(viewer.get(node.baseUri() + "/api/topology").json().findValuesAsText("name"))
        .contains("pods", "services", "deployments", "namespaces");
    // Kubernetes ids contain "/": like the UI, the client percent-encodes the id as one path segment.
    JsonNode detail = viewer.get(node.baseUri() + "/api/topology/pods/"
        + java.net.URLEncoder.encode(POD, java.nio.charset.StandardCharsets.UTF_8)).json();
    assertThat(detail.get("parents").findValuesAsText("id")).contains(WEB, "service:" + CLUSTER + "/shop/web");
  }

  @Test
  @Order(2)
  void scaleRestartAndDeleteChangeTheApiAndAreRoleChecked() {
    Reply scaled = operator.post(node.baseUri() + "/api/kubernetes/scale", "{\"target\":\"" + WEB + "\",\"replicas\":5}");
    assertThat(scaled.status()).as(scaled.body()).isEqualTo(200);
    assertThat(scaled.json().at("/output/replicas").asText()).isEqualTo("5");
    assertThat(kube.apps().deployments().inNamespace("shop").withName("web").get().getSpec().getReplicas()).isEqualTo(5);

    Reply down = operator.post(node.baseUri() + "/api/kubernetes/scale-down", "{\"target\":\"" + WEB + "\",\"by\":2}");
    assertThat(down.json().at("/output/replicas").asText()).isEqualTo("3");

    assertThat(operator.post(node.baseUri() + "/api/kubernetes/restart", "{\"target\":\"" + WEB + "\"}").status())
        .isEqualTo(200);
    assertThat(kube.apps().deployments().inNamespace("shop").withName("web").get().getSpec().getTemplate()
        .getMetadata().getAnnotations()).containsKey("kubectl.kubernetes.io/restartedAt");

    Reply describe = viewer.post(node.baseUri() + "/api/kubernetes/describe", "{\"target\":\"" + WEB + "\"}");
    assertThat(describe.status()).isEqualTo(200);
    assertThat(describe.json().at("/output/yaml").asText()).contains("name: \"web\"").contains("replicas: 3");
    assertThat(viewer.post(node.baseUri() + "/api/kubernetes/scale", "{\"target\":\"" + WEB + "\",\"replicas\":9}")
        .status()).isEqualTo(403);
    assertThat(HttpCalls.post(node.baseUri() + "/api/kubernetes/describe", "{\"target\":\"" + WEB + "\"}").status())
        .isEqualTo(401);

    assertThat(operator.post(node.baseUri() + "/api/kubernetes/delete", "{\"target\":\"" + POD + "\"}").status())
        .isEqualTo(200);
    assertThat(kube.pods().inNamespace("shop").withName("web-abc12-x1").get()).isNull();
    await("pods", v -> !ids(v).contains(POD), Duration.ofSeconds(20));
  }

  @Test
  @Order(3)
  void badRequestsAreRefusedWithAReason() {
    assertThat(operator.post(node.baseUri() + "/api/kubernetes/explode", "{\"target\":\"" + WEB + "\"}")
        .json().get("error").asText()).contains("unknown action");
    assertThat(operator.post(node.baseUri() + "/api/kubernetes/scale", "{\"target\":\"container:abc\"}")
        .json().get("error").asText()).contains("Kubernetes entry key");
    assertThat(operator.post(node.baseUri() + "/api/kubernetes/scale",
        "{\"target\":\"workload:" + CLUSTER + "/shop/deployment/nope\",\"replicas\":1}").status()).isEqualTo(404);
    assertThat(operator.post(node.baseUri() + "/api/kubernetes/scale", "{\"target\":\"" + WEB + "\",\"replicas\":-1}")
        .status()).isEqualTo(400);
    assertThat(operator.post(node.baseUri() + "/api/kubernetes/scale", "{\"target\":\"" + WEB + "\"}")
        .json().get("error").asText()).contains("replicas");
  }

  @Test
  @Order(4)
  void everyControlIsAudited() {
    JsonNode events = node.admin().get(node.baseUri() + "/api/audit?user=ops&limit=100").json().get("events");
    assertThat(events.findValuesAsText("action"))
        .contains("kubernetes.scale", "kubernetes.scale-down", "kubernetes.restart", "kubernetes.delete");
    assertThat(events.findValuesAsText("target")).contains(WEB, POD);
  }

  private static List<String> ids(JsonNode view) {
    return view.get("nodes").findValuesAsText("id");
  }

  private static JsonNode await(String view, Predicate<JsonNode> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      Reply reply = viewer.get(node.baseUri() + "/api/topology/" + view);
      if (reply.status() == 200) {
        last = reply.json();
        if (done.test(last)) {
          return last;
        }
      }
      HttpCalls.sleep(200);
    }
    throw new AssertionError("view " + view + " not as expected within " + timeout + ": " + last);
  }
}
