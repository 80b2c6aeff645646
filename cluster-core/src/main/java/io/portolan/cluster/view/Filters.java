package io.portolan.cluster.view;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The filters of a view, from query parameters: {@code state=running|stopped},
 * {@code category=application|system}, {@code connectivity=connected|unconnected},
 * {@code label=key} or {@code label=key=value} (repeatable, all must match), {@code namespace=ns}.
 * Connectivity looks at the edges of the whole view, before the other filters.
 */
public record Filters(String state, String category, String connectivity, List<String> labels, String namespace) {

  public static final Filters NONE = new Filters(null, null, null, List.of(), null);

  /** @throws IllegalArgumentException with a message that says which values are allowed */
  public static Filters parse(Map<String, List<String>> params) {
    return new Filters(
        oneOf(params, "state", Set.of("running", "stopped", "all")),
        oneOf(params, "category", Set.of("application", "system", "all")),
        oneOf(params, "connectivity", Set.of("connected", "unconnected", "all")),
        params.getOrDefault("label", List.of()).stream().filter(s -> !s.isBlank()).toList(),
        single(params, "namespace"));
  }

  public boolean isNone() {
    return state == null && category == null && connectivity == null && labels.isEmpty() && namespace == null;
  }

  public Topology apply(Topology topology) {
    if (isNone()) {
      return topology;
    }
    Set<String> connected = connectivity == null ? Set.of() : topology.connectedIds();
    return topology.filterNodes(n -> {
      if ("running".equals(state) && !n.running() || "stopped".equals(state) && n.running()) {
        return false;
      }
      if ("system".equals(category) && !n.system() || "application".equals(category) && n.system()) {
        return false;
      }
      if ("connected".equals(connectivity) && !connected.contains(n.id())
          || "unconnected".equals(connectivity) && connected.contains(n.id())) {
        return false;
      }
      if (namespace != null && !namespace.equals(n.namespace())) {
        return false;
      }
      for (String label : labels) {
        int eq = label.indexOf('=');
        String key = eq < 0 ? label : label.substring(0, eq);
        String value = n.labels().get(key);
        if (value == null || eq >= 0 && !value.equals(label.substring(eq + 1))) {
          return false;
        }
      }
      return true;
    });
  }

  private static String oneOf(Map<String, List<String>> params, String name, Set<String> allowed) {
    String value = single(params, name);
    if (value == null) {
      return null;
    }
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException("'" + name + "' must be one of " + allowed.stream().sorted().toList()
          + " (got '" + value + "')");
    }
    return value.equals("all") ? null : value;
  }

  private static String single(Map<String, List<String>> params, String name) {
    List<String> values = params.getOrDefault(name, List.of());
    if (values.size() > 1) {
      throw new IllegalArgumentException("give '" + name + "' at most once");
    }
    return values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
  }
}
