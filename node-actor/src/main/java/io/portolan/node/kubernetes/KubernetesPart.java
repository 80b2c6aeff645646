package io.portolan.node.kubernetes;

import com.typesafe.config.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * What the agent needs of Kubernetes: the inventory (filled only while this agent holds the
 * cluster's watcher lease) and the controls. Off unless {@code portolan.node.kubernetes.enabled}
 * ({@code PORTOLAN_K8S_ENABLED}); {@link #close()} releases the lease so another agent takes over fast.
 */
public record KubernetesPart(KubernetesSettings settings, KubernetesInventory inventory,
    KubernetesControlHandler controls, KubernetesClient client) implements AutoCloseable {

  public static final KubernetesPart DISABLED = new KubernetesPart(null, KubernetesInventory.disabled(), null, null);

  public static KubernetesPart start(Config config) {
    KubernetesSettings settings = KubernetesSettings.fromConfig(config);
    if (!settings.enabled()) {
      return DISABLED;
    }
    KubernetesClient client = KubernetesClients.create(settings);
    return new KubernetesPart(settings, LeaderElectedInventory.start(client, settings),
        new KubernetesControlHandler(new Fabric8Controls(client, settings, Clock.systemUTC()), settings.clusterName()),
        client);
  }

  public boolean enabled() {
    return settings != null;
  }

  @Override
  public void close() {
    inventory.close();
    if (client != null) {
      client.close();
    }
  }
}
