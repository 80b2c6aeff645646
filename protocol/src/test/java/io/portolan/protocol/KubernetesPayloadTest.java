package io.portolan.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesPayloadTest {

  static final String C = "prod";

  static final Payload.Pod POD = new Payload.Pod(C, "shop", "web-7d4b9-x2x", "uid-1", "node-a", Keys.host("node-a"),
      "10.1.0.7", "10.0.0.5", "Running", "", Map.of("Ready", "True", "PodScheduled", "True"),
      List.of(new Payload.PodContainer("web", "nginx:1.27", "containerd", "abc", Keys.container("abc"), true, 2,
          "running", "", false)),
      2, Map.of("app", "web"), Map.of("a", "b"), List.of(Keys.workload(C, "shop", "ReplicaSet", "web-7d4b9")),
      Keys.workload(C, "shop", "Deployment", "web"), "default", "Burstable", 1000L, 2000L);

  static List<Entry> entries() {
    return List.of(
        new Entry(Keys.namespace(C, "shop"), 1L, new Payload.Namespace(C, "shop", "u0", "Active", Map.of(), 1L)),
        new Entry(Keys.kubeNode(C, "node-a"), 1L, new Payload.KubeNode(C, "node-a", "u1", Keys.host("node-a"),
            Map.of("InternalIP", "10.0.0.5"), true, false, "v1.31.0", "containerd://1.7", "2", "8Gi", Map.of(), 1L)),
        new Entry(Keys.pod(C, "shop", "web-7d4b9-x2x"), 1L, POD),
        new Entry(Keys.service(C, "shop", "web"), 1L, new Payload.Service(C, "shop", "web", "u2", "ClusterIP",
            "10.96.0.10", List.of(), List.of(new Payload.ServicePort("http", "TCP", 80, "8080", 0)),
            Map.of("app", "web"), Map.of(), List.of(Keys.pod(C, "shop", "web-7d4b9-x2x")), 1, 1L)),
        new Entry(Keys.workload(C, "shop", "Deployment", "web"), 1L, new Payload.Workload(C, "shop", "web", "u3",
            "Deployment", 3, 2, 2, 3, Map.of("app", "web"), Map.of(), Map.of(), List.of(), "", false, 4, 4, 1L)),
        new Entry(Keys.workload(C, "shop", "CronJob", "nightly"), 1L, new Payload.Workload(C, "shop", "nightly", "u4",
            "CronJob", 1, 0, 0, 0, Map.of(), Map.of(), Map.of(), List.of(), "0 3 * * *", false, 1, 1, 1L)),
        new Entry(Keys.kubeEvent(C, "shop", "web.1"), 1L, new Payload.KubeEvent(C, "shop", "web.1", "Normal",
            "Scheduled", "assigned", "Pod", "web-7d4b9-x2x", Keys.pod(C, "shop", "web-7d4b9-x2x"), 1, 1L, 2L)),
        Entry.tombstone(Keys.pod(C, "shop", "gone"), 2L));
  }

  @Test
  void kubernetesPayloadsRoundTrip() throws Exception {
    AgentMessage.Report report = new AgentMessage.Report(Protocol.VERSION, "agent-1", "node-a", 1, true, 5L,
        entries(), List.of());
    assertThat(Protocol.decodeAgentMessage(Protocol.encode(report))).isEqualTo(report);
  }

  @Test
  void keysNameTheirKindAndCluster() {
    assertThat(Keys.workload(C, "shop", "StatefulSet", "db")).isEqualTo("workload:prod/shop/statefulset/db");
    assertThat(Keys.kindOf(Keys.kubeNode(C, "n"))).isEqualTo("kube-node");
    assertThat(Keys.kubeObject(C, "Pod", "shop", "p")).isEqualTo(Keys.pod(C, "shop", "p"));
    assertThat(Keys.kubeObject(C, "Node", "", "n")).isEqualTo(Keys.kubeNode(C, "n"));
    assertThat(Keys.kubeObject(C, "ConfigMap", "shop", "x")).isEmpty();
    for (Entry e : entries()) {
      if (!e.isTombstone()) {
        assertThat(Keys.kindOf(e.payload())).isEqualTo(Keys.kindOf(e.key()));
      }
    }
  }

  @Test
  void aPodUnderAServiceKeyIsRefused() {
    AgentMessage.Report report = new AgentMessage.Report(Protocol.VERSION, "agent-1", "node-a", 1, true, 5L,
        List.of(new Entry(Keys.service(C, "shop", "web"), 1L, POD)), List.of());
    assertThatThrownBy(() -> Protocol.validate(report)).hasMessageContaining("must start with 'pod:'");
  }
}
