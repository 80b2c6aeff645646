package io.portolan.cluster.view;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The one list of views. Adding a view is one line here with a pure render function (see
 * {@link Renderers} and {@link KubeViews}); the Kubernetes views are listed only when a host
 * reports Kubernetes objects.
 */
public final class Views {

  public static final List<ViewDesc> REGISTRY;

  static {
    List<ViewDesc> registry = new ArrayList<>();
    registry.add(new ViewDesc("processes", "Processes", "process", Renderers::processes));
    registry.add(new ViewDesc("processes-by-name", "Processes by name", "process", Renderers::processesByName));
    registry.add(new ViewDesc("containers", "Containers", "container", Renderers::containers));
    registry.add(new ViewDesc("containers-by-image", "Containers by image", "container", Renderers::containersByImage));
    registry.add(new ViewDesc("containers-by-hostname", "Containers by DNS name", "container",
        Renderers::containersByHostname));
    registry.add(new ViewDesc("hosts", "Hosts", "host", Renderers::hosts));
    registry.add(new ViewDesc("pods", "Pods", "pod", KubeViews::pods, KubeViews::present));
    registry.add(new ViewDesc("services", "Services", "service", KubeViews::services, KubeViews::present));
    registry.add(new ViewDesc("deployments", "Controllers", "workload", KubeViews::deployments, KubeViews::present));
    registry.add(new ViewDesc("namespaces", "Namespaces", "namespace", KubeViews::namespaces, KubeViews::present));
    REGISTRY = Collections.unmodifiableList(registry);
  }

  private Views() {}

  public static Optional<ViewDesc> byName(String name) {
    return REGISTRY.stream().filter(v -> v.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    return REGISTRY.stream().map(ViewDesc::name).toList();
  }
}
