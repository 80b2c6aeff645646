package io.portolan.cluster.view;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** A rendered view: nodes sorted by id, edges sorted by id. */
public record Topology(List<ViewNode> nodes, List<ViewEdge> edges) {

  public static final Topology EMPTY = new Topology(List.of(), List.of());

  /** The nodes {@code keep} accepts, and the edges between them. */
  public Topology filterNodes(Predicate<ViewNode> keep) {
    List<ViewNode> kept = nodes.stream().filter(keep).toList();
    if (kept.size() == nodes.size()) {
      return this;
    }
    Set<String> ids = new HashSet<>();
    kept.forEach(n -> ids.add(n.id()));
    return new Topology(kept, edges.stream().filter(e -> ids.contains(e.source()) && ids.contains(e.target())).toList());
  }

  /** Ids of nodes that have at least one edge. */
  public Set<String> connectedIds() {
    Set<String> ids = new HashSet<>();
    for (ViewEdge e : edges) {
      ids.add(e.source());
      ids.add(e.target());
    }
    return ids;
  }
}
