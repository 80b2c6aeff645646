package io.portolan.node.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Kubernetes objects as a cluster with controllers would have them (the CRUD mock runs none). */
public final class KubeFixtures {

  private KubeFixtures() {}

  public static Namespace namespace(String name) {
    return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(Map.of("team", "shop")).endMetadata()
        .withNewStatus().withPhase("Active").endStatus().build();
  }

  public static Node node(String name) {
    return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewStatus().addNewAddress().withType("InternalIP").withAddress("10.0.0.5").endAddress()
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .withNewNodeInfo().withKubeletVersion("v1.31.0").withContainerRuntimeVersion("containerd://1.7.20")
        .endNodeInfo().endStatus().build();
  }

  public static Deployment deployment(String ns, String name, int replicas, int ready) {
    return new DeploymentBuilder().withNewMetadata().withNamespace(ns).withName(name).withUid("uid-d-" + name)
        .withLabels(Map.of("app", name)).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName(name).withImage("nginx:1.27").endContainer().endSpec()
        .endTemplate().endSpec()
        .withNewStatus().withReplicas(replicas).withReadyReplicas(ready).withAvailableReplicas(ready)
        .withUpdatedReplicas(replicas).endStatus().build();
  }

  public static StatefulSet statefulSet(String ns, String name, int replicas) {
    return new StatefulSetBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas).withServiceName(name).withNewSelector().addToMatchLabels("app", name)
        .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName(name).withImage("cassandra:5").endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  public static ReplicaSet replicaSet(String ns, String deployment, String hash, int replicas) {
    return new ReplicaSetBuilder().withNewMetadata().withNamespace(ns).withName(deployment + "-" + hash)
        .withUid("uid-rs-" + deployment + "-" + hash).withOwnerReferences(controller("Deployment", deployment))
        .endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", deployment)
        .addToMatchLabels("pod-template-hash", hash).endSelector().endSpec()
        .withNewStatus().withReplicas(replicas).withReadyReplicas(replicas).endStatus().build();
  }

  /** A running pod of a ReplicaSet, scheduled on {@code node}, with a containerd container id. */
  public static Pod pod(String ns, String name, String app, String ownerRs, String node, String containerId, int restarts) {
    PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withUid("uid-p-" + name)
        .withLabels(Map.of("app", app)).withAnnotations(Map.of("prometheus.io/scrape", "true"))
        .endMetadata();
    if (ownerRs != null) {
      b.editMetadata().withOwnerReferences(controller("ReplicaSet", ownerRs)).endMetadata();
    }
    return b.withNewSpec().withNodeName(node).withServiceAccountName("default")
        .addNewContainer().withName(app).withImage("nginx:1.27").endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP("10.1.0.7").withHostIP("10.0.0.5").withQosClass("BestEffort")
        .withStartTime("2025-01-01T10:00:00Z")
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addToContainerStatuses(new ContainerStatusBuilder().withName(app).withImage("nginx:1.27")
            .withContainerID("containerd://" + containerId).withReady(true).withRestartCount(restarts)
            .withNewState().withNewRunning().withStartedAt("2025-01-01T10:00:01Z").endRunning().endState().build())
        .endStatus().build();
  }

  public static Service service(String ns, String name, String app) {
    return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withType("ClusterIP").withClusterIP("10.96.0.10").addToSelector("app", app)
        .addNewPort().withName("http").withProtocol("TCP").withPort(80)
        .withNewTargetPort(8080).endPort().endSpec().build();
  }

  public static OwnerReference controller(String kind, String name) {
    return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(kind).withName(name)
        .withUid("uid-" + name).withController(true).build();
  }

  /** Polls {@code condition} every 20 ms until it holds or {@code timeout} passes. */
  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
  }
}
