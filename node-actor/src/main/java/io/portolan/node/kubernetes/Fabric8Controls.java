package io.portolan.node.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Supplier;

/** {@link KubernetesControls} on the fabric8 client. */
public final class Fabric8Controls implements KubernetesControls {

  public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
  private static final int CONFLICT_RETRIES = 3;

  /** What describe shows; Secrets (and anything else) are refused. */
  static final Map<String, Class<? extends HasMetadata>> DESCRIBABLE = Map.of(
      "Pod", Pod.class, "Service", Service.class, "Deployment", Deployment.class, "ReplicaSet", ReplicaSet.class,
      "StatefulSet", StatefulSet.class, "DaemonSet", DaemonSet.class, "Job", Job.class, "CronJob", CronJob.class,
      "Namespace", Namespace.class, "Node", Node.class);

  private final KubernetesClient client;
  private final KubernetesSettings settings;
  private final Clock clock;

  public Fabric8Controls(KubernetesClient client, KubernetesSettings settings, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public int scale(Scalable kind, String namespace, String name, Scale how) {
    Resource<? extends HasMetadata> resource = kind == Scalable.Deployment
        ? client.apps().deployments().inNamespace(namespace).withName(name)
        : client.apps().statefulSets().inNamespace(namespace).withName(name);
    for (int attempt = 1; ; attempt++) {
      HasMetadata current = call(kind + " " + namespace + "/" + name, resource::get);
      if (current == null) {
        throw new ControlException(kind + " " + namespace + "/" + name + " does not exist");
      }
      int replicas = current instanceof Deployment d ? orOne(d.getSpec().getReplicas())
          : orOne(((StatefulSet) current).getSpec().getReplicas());
      int target = how.apply(replicas);
      // The resourceVersion makes the patch conditional: a concurrent change is a 409 and we re-read.
      String patch = "{\"metadata\":{\"resourceVersion\":\"" + current.getMetadata().getResourceVersion()
          + "\"},\"spec\":{\"replicas\":" + target + "}}";
      try {
        resource.patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        return target;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
          throw translate(kind + " " + namespace + "/" + name, e);
        }
      }
    }
  }

  @Override
  public void deletePod(String namespace, String name) {
    var deleted = call("pod " + namespace + "/" + name,
        () -> client.pods().inNamespace(namespace).withName(name).delete());
    if (deleted == null || deleted.isEmpty()) {
      throw new ControlException("pod " + namespace + "/" + name + " does not exist");
    }
  }

  @Override
  public String logs(String namespace, String pod, String container, int tailLines) {
    int tail = Math.max(1, Math.min(tailLines, settings.logMaxTailLines()));
    var podResource = client.pods().inNamespace(namespace).withName(pod);
    return call("logs of pod " + namespace + "/" + pod, () -> container == null || container.isBlank()
        ? podResource.limitBytes(settings.logMaxBytes()).tailingLines(tail).getLog()
        : podResource.inContainer(container).limitBytes(settings.logMaxBytes()).tailingLines(tail).getLog());
  }

  @Override
  public String describe(String kind, String namespace, String name) {
    Class<? extends HasMetadata> type = DESCRIBABLE.get(kind);
    if (type == null) {
      throw new ControlException("cannot describe a " + kind + "; describable kinds: "
          + String.join(", ", new java.util.TreeSet<>(DESCRIBABLE.keySet())));
    }
    boolean clusterScoped = type == Namespace.class || type == Node.class;
    HasMetadata object = call(kind + " " + name, () -> clusterScoped
        ? client.resources(type).withName(name).get()
        : client.resources(type).inNamespace(namespace).withName(name).get());
    if (object == null) {
      throw new ControlException(kind + " " + (clusterScoped ? "" : namespace + "/") + name + " does not exist");
    }
    object.getMetadata().setManagedFields(null);
    if (object.getMetadata().getAnnotations() != null) {
      object.getMetadata().getAnnotations().remove("kubectl.kubernetes.io/last-applied-configuration");
    }
    return client.getKubernetesSerialization().asYaml(object);
  }

  @Override
  public String rolloutRestart(Restartable kind, String namespace, String name) {
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    String patch = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + RESTARTED_AT + "\":\"" + now
        + "\"}}}}}";
    String what = kind + " " + namespace + "/" + name;
    HasMetadata patched = call(what, () -> switch (kind) {
      case Deployment -> client.apps().deployments().inNamespace(namespace).withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      case StatefulSet -> client.apps().statefulSets().inNamespace(namespace).withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      case DaemonSet -> client.apps().daemonSets().inNamespace(namespace).withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    });
    if (patched == null) {
      throw new ControlException(what + " does not exist");
    }
    return now;
  }

  private static int orOne(Integer replicas) {
    return replicas == null ? 1 : replicas;
  }

  private static <T> T call(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw translate(what, e);
    }
  }

  /** An API error in words: what failed and what to do. */
  static ControlException translate(String what, KubernetesClientException e) {
    String message = switch (e.getCode()) {
      case 404 -> what + " does not exist";
      case 403 -> "the agent's service account may not do this to " + what
          + "; grant it in the chart (rbac.controls=true) or ask a cluster admin";
      case 409 -> what + " was changed by someone else meanwhile; try again";
      case 422 -> what + ": the API refused the change: " + statusMessage(e);
      default -> "Kubernetes API call on " + what + " failed"
          + (e.getCode() > 0 ? " (HTTP " + e.getCode() + ")" : "") + ": " + statusMessage(e);
    };
    return new ControlException(message, e);
  }

  private static String statusMessage(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : String.valueOf(e.getMessage());
  }
}
