package io.portolan.cluster.view;

/** A directed edge: {@code source} (the client side) opened {@code connections} to {@code target}. */
public record ViewEdge(String id, String source, String target, int connections) {

  public static ViewEdge of(String source, String target, int connections) {
    return new ViewEdge(source + "->" + target, source, target, connections);
  }
}
