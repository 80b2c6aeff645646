package io.portolan.node.kubernetes;

import static io.portolan.node.kubernetes.KubeFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.portolan.protocol.Keys;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two agents (two clients, two identities) elect one watcher through a Lease in the mock API; when the
 * holder stops renewing, the other takes over after the lease expires and lists the cluster itself.
 */
class LeaderElectedInventoryTest {

  static final String C = "test";
  static final Duration LEASE = Duration.ofSeconds(2);

  KubernetesMockServer server;
  KubernetesClient admin;

  @BeforeEach
  void start() {
    server = MockApi.start();
    admin = server.createClient();
    admin.resource(KubeFixtures.namespace("portolan")).create();
    admin.resource(KubeFixtures.pod("portolan", "web-1", "web", null, "node-a", "c0ffee01", 0)).create();
  }

  @AfterEach
  void stop() {
    admin.close();
    server.destroy();
  }

  KubernetesSettings settings(String identity) {
    return new KubernetesSettings(true, C, "", "", identity, "portolan", "portolan-watcher", LEASE,
        Duration.ofMillis(1500), Duration.ofMillis(250), Duration.ZERO, 500, Duration.ofSeconds(1), 100, 1000,
        1 << 20, Duration.ofSeconds(5));
  }

  static boolean leading(KubernetesInventory i) {
    return i.status().role() == KubernetesInventory.Role.LEADER && i.status().synced();
  }

  String holder() {
    Lease lease = admin.leases().inNamespace("portolan").withName("portolan-watcher").get();
    return lease == null ? "" : lease.getSpec().getHolderIdentity();
  }

  @Test
  void exactlyOneAgentWatchesAndTheOtherTakesOverWhenTheHolderStopsRenewing() {
    KubernetesClient clientA = server.createClient();
    KubernetesClient clientB = server.createClient();
    LeaderElectedInventory a = LeaderElectedInventory.start(clientA, settings("agent-a"));
    await(Duration.ofSeconds(10), "agent-a leads", () -> leading(a));
    LeaderElectedInventory b = LeaderElectedInventory.start(clientB, settings("agent-b"));
    try {
      await(Duration.ofSeconds(5), "agent-b sees agent-a as leader", () -> "agent-a".equals(b.status().leader()));
      assertThat(b.status().role()).isEqualTo(KubernetesInventory.Role.FOLLOWER);
      assertThat(b.entries()).isEmpty();
      assertThat(a.entries()).containsKey(Keys.pod(C, "portolan", "web-1"));
      assertThat(holder()).isEqualTo("agent-a");

      // agent-a "dies": its connection to the API goes away, it can neither renew nor release.
      long died = System.nanoTime();
      clientA.close();
      await(Duration.ofSeconds(15), "agent-b takes over", () -> leading(b));
      long tookOverMillis = (System.nanoTime() - died) / 1_000_000;
      assertThat(holder()).isEqualTo("agent-b");
      assertThat(b.entries()).containsKey(Keys.pod(C, "portolan", "web-1"));
      // The lease had to expire first: no earlier than the lease duration minus the renew jitter.
      assertThat(tookOverMillis).isGreaterThan(LEASE.toMillis() / 2);
      // (A dead agent runs no callbacks; what a live but cut-off holder does is fabric8's renew deadline,
      // which this mock cannot cut off: see k8s/README.md.)
    } finally {
      a.close();
      b.close();
      clientB.close();
    }
  }

  @Test
  void aCleanShutdownReleasesTheLeaseForAFastTakeover() {
    KubernetesClient clientA = server.createClient();
    KubernetesClient clientB = server.createClient();
    LeaderElectedInventory a = LeaderElectedInventory.start(clientA, settings("agent-a"));
    await(Duration.ofSeconds(10), "agent-a leads", () -> leading(a));
    LeaderElectedInventory b = LeaderElectedInventory.start(clientB, settings("agent-b"));
    try {
      await(Duration.ofSeconds(5), "agent-b follows", () -> "agent-a".equals(b.status().leader()));
      a.close();
      assertThat(a.entries()).isEmpty();
      await(Duration.ofSeconds(10), "agent-b takes over", () -> leading(b));
      assertThat(holder()).isEqualTo("agent-b");
    } finally {
      a.close();
      b.close();
      clientA.close();
      clientB.close();
    }
  }
}
