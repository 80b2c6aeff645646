package io.portolan.node.kubernetes;

import static io.portolan.node.kubernetes.KubeFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.portolan.protocol.Keys;
import io.portolan.protocol.Payload;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watcher against fabric8's CRUD mock API server: what it lists, how it follows changes, and resync. */
class KubernetesWatcherTest {

  static final String C = "test";
  static final Duration WAIT = Duration.ofSeconds(10);

  KubernetesMockServer server;
  KubernetesClient client;
  KubernetesSettings settings = KubernetesSettings.defaults();

  @BeforeEach
  void start() {
    server = MockApi.start();
    client = server.createClient();
    settings = new KubernetesSettings(true, C, "", "", "agent-a", "default", "portolan-watcher",
        Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ZERO, 500,
        Duration.ofSeconds(1), 100, 1000, 1 << 20, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  void seed() {
    client.resource(KubeFixtures.namespace("shop")).create();
    client.resource(KubeFixtures.node("node-a")).create();
    client.resource(KubeFixtures.deployment("shop", "web", 2, 2)).create();
    client.resource(KubeFixtures.replicaSet("shop", "web", "7d4b9", 2)).create();
    client.resource(KubeFixtures.pod("shop", "web-7d4b9-aaaaa", "web", "web-7d4b9", "node-a", "c0ffee01", 0)).create();
    client.resource(KubeFixtures.pod("shop", "web-7d4b9-bbbbb", "web", "web-7d4b9", "node-a", "c0ffee02", 1)).create();
    client.resource(KubeFixtures.service("shop", "web", "web")).create();
  }

  @Test
  void listsEverythingAndJoinsPodsToContainersHostsControllersAndServices() throws Exception {
    seed();
    try (KubernetesWatcher watcher = KubernetesWatcher.start(client, settings)) {
      watcher.synced().get(10, java.util.concurrent.TimeUnit.SECONDS);
      Map<String, Payload> e = watcher.entries();
      assertThat(e).containsKeys(Keys.namespace(C, "shop"), Keys.kubeNode(C, "node-a"),
          Keys.workload(C, "shop", "Deployment", "web"), Keys.workload(C, "shop", "ReplicaSet", "web-7d4b9"),
          Keys.pod(C, "shop", "web-7d4b9-aaaaa"), Keys.service(C, "shop", "web"));
      assertThat(watcher.unavailable()).isEmpty();

      Payload.Pod pod = (Payload.Pod) e.get(Keys.pod(C, "shop", "web-7d4b9-bbbbb"));
      assertThat(pod.phase()).isEqualTo("Running");
      assertThat(pod.hostKey()).isEqualTo(Keys.host("node-a"));
      assertThat(pod.containers()).singleElement().satisfies(c -> {
        assertThat(c.runtime()).isEqualTo("containerd");
        assertThat(c.containerKey()).isEqualTo(Keys.container("c0ffee02"));
        assertThat(c.state()).isEqualTo("running");
      });
      assertThat(pod.restarts()).isEqualTo(1);
      assertThat(pod.conditions()).containsEntry("Ready", "True");
      assertThat(pod.ownerKeys()).containsExactly(Keys.workload(C, "shop", "ReplicaSet", "web-7d4b9"));
      assertThat(pod.controllerKey()).isEqualTo(Keys.workload(C, "shop", "Deployment", "web"));

      Payload.Workload rs = (Payload.Workload) e.get(Keys.workload(C, "shop", "ReplicaSet", "web-7d4b9"));
      assertThat(rs.ownerKeys()).containsExactly(Keys.workload(C, "shop", "Deployment", "web"));
      Payload.Workload dep = (Payload.Workload) e.get(Keys.workload(C, "shop", "Deployment", "web"));
      assertThat(dep.desired()).isEqualTo(2);
      assertThat(dep.ready()).isEqualTo(2);

      Payload.Service svc = (Payload.Service) e.get(Keys.service(C, "shop", "web"));
      assertThat(svc.podKeys()).containsExactlyInAnyOrder(Keys.pod(C, "shop", "web-7d4b9-aaaaa"),
          Keys.pod(C, "shop", "web-7d4b9-bbbbb"));
      assertThat(svc.ports()).containsExactly(new Payload.ServicePort("http", "TCP", 80, "8080", 0));
      assertThat(((Payload.KubeNode) e.get(Keys.kubeNode(C, "node-a"))).ready()).isTrue();
    }
  }

  @Test
  void followsCreatesUpdatesAndDeletes() throws Exception {
    seed();
    try (KubernetesWatcher watcher = KubernetesWatcher.start(client, settings)) {
      watcher.synced().get(10, java.util.concurrent.TimeUnit.SECONDS);

      // create: a namespace and a pod the service selects
      client.resource(KubeFixtures.namespace("ops")).create();
      client.resource(KubeFixtures.pod("shop", "web-7d4b9-ccccc", "web", "web-7d4b9", "node-a", "c0ffee03", 0))
          .create();
      await(WAIT, "new namespace and pod", () -> watcher.entries().containsKey(Keys.namespace(C, "ops"))
          && ((Payload.Service) watcher.entries().get(Keys.service(C, "shop", "web"))).podKeys().size() == 3);

      // update: a container restarts (status), the deployment is scaled (spec)
      var pod = client.pods().inNamespace("shop").withName("web-7d4b9-aaaaa").get();
      pod.getStatus().getContainerStatuses().get(0).setRestartCount(4);
      client.resource(pod).updateStatus();
      client.apps().deployments().inNamespace("shop").withName("web")
          .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(5).endSpec().build());
      await(WAIT, "restart count 4 and 5 desired replicas", () ->
          ((Payload.Pod) watcher.entries().get(Keys.pod(C, "shop", "web-7d4b9-aaaaa"))).restarts() == 4
          && ((Payload.Workload) watcher.entries().get(Keys.workload(C, "shop", "Deployment", "web"))).desired() == 5);

      // label change: the pod leaves the service
      client.pods().inNamespace("shop").withName("web-7d4b9-ccccc")
          .edit(p -> new PodBuilder(p).editMetadata().addToLabels("app", "canary").endMetadata().build());
      await(WAIT, "pod no longer selected", () ->
          ((Payload.Service) watcher.entries().get(Keys.service(C, "shop", "web"))).podKeys().size() == 2);

      // delete: the service, a pod, the deployment, a namespace
      client.services().inNamespace("shop").withName("web").delete();
      client.pods().inNamespace("shop").withName("web-7d4b9-bbbbb").delete();
      client.apps().deployments().inNamespace("shop").withName("web").delete();
      client.namespaces().withName("ops").delete();
      await(WAIT, "deleted objects gone", () -> {
        Map<String, Payload> e = watcher.entries();
        return !e.containsKey(Keys.service(C, "shop", "web")) && !e.containsKey(Keys.pod(C, "shop", "web-7d4b9-bbbbb"))
            && !e.containsKey(Keys.workload(C, "shop", "Deployment", "web"))
            && !e.containsKey(Keys.namespace(C, "ops"));
      });
      assertThat(watcher.entries()).containsKey(Keys.pod(C, "shop", "web-7d4b9-aaaaa"));
    }
  }

  @Test
  void aRestartedWatcherResyncsFromTheApi() throws Exception {
    seed();
    long firstGeneration;
    try (KubernetesWatcher first = KubernetesWatcher.start(client, settings)) {
      first.synced().get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(first.entries()).containsKey(Keys.pod(C, "shop", "web-7d4b9-aaaaa"));
      firstGeneration = first.generation();
    }
    // While no watcher runs: one pod goes, another comes, a deployment appears.
    client.pods().inNamespace("shop").withName("web-7d4b9-aaaaa").delete();
    client.resource(KubeFixtures.pod("shop", "web-7d4b9-ddddd", "web", "web-7d4b9", "node-a", "c0ffee04", 0)).create();
    client.resource(KubeFixtures.deployment("shop", "api", 3, 0)).create();

    try (KubernetesWatcher second = KubernetesWatcher.start(client, settings)) {
      second.synced().get(10, java.util.concurrent.TimeUnit.SECONDS);
      Map<String, Payload> e = second.entries();
      assertThat(e).doesNotContainKey(Keys.pod(C, "shop", "web-7d4b9-aaaaa"))
          .containsKeys(Keys.pod(C, "shop", "web-7d4b9-ddddd"), Keys.workload(C, "shop", "Deployment", "api"));
      assertThat(((Payload.Service) e.get(Keys.service(C, "shop", "web"))).podKeys())
          .containsExactlyInAnyOrder(Keys.pod(C, "shop", "web-7d4b9-bbbbb"), Keys.pod(C, "shop", "web-7d4b9-ddddd"));
      assertThat(firstGeneration).isPositive();
    }
  }

  @Test
  void nothingIsReportedBeforeTheFirstCompleteList() {
    seed();
    try (KubernetesWatcher watcher = KubernetesWatcher.start(client, settings)) {
      // Either still listing (empty) or done (everything): never a partial inventory.
      Map<String, Payload> e = watcher.entries();
      assertThat(e.isEmpty() || e.containsKey(Keys.service(C, "shop", "web"))).isTrue();
    }
  }
}
