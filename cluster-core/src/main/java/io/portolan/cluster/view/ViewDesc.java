package io.portolan.cluster.view;

import io.portolan.cluster.topology.TopologyStore.Model;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A view: its URL name, a label for the UI, the kind of entry its nodes stand for, and the pure
 * function that renders it from the merged model, and when it is listed (Kubernetes views only
 * when Kubernetes data exists). Views are registered in {@link Views#REGISTRY}.
 */
public record ViewDesc(String name, String label, String nodeKind, Function<Model, Topology> render,
    Predicate<Model> shown) {

  /** A view that is always listed. */
  public ViewDesc(String name, String label, String nodeKind, Function<Model, Topology> render) {
    this(name, label, nodeKind, render, model -> true);
  }
}
