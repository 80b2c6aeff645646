package io.portolan.node.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;

/**
 * Builds the fabric8 client from {@link KubernetesSettings}: with no kubeconfig configured, fabric8's own
 * discovery (the pod's service account in-cluster, else {@code $KUBECONFIG} / {@code ~/.kube/config});
 * with one, that file and (optionally) context.
 */
public final class KubernetesClients {

  private KubernetesClients() {}

  public static KubernetesClient create(KubernetesSettings settings) {
    Config base;
    String context = settings.context().isBlank() ? null : settings.context();
    if (!settings.kubeconfig().isBlank()) {
      base = Config.fromKubeconfig(context, new File(settings.kubeconfig()));
    } else {
      base = Config.autoConfigure(context);
    }
    Config config = new ConfigBuilder(base)
        .withRequestTimeout((int) settings.callTimeout().toMillis())
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
