package io.portolan.cluster.view;

import io.portolan.cluster.topology.TopologyStore.Model;
import java.util.function.Function;

/**
 * A view: its URL name, a label for the UI, the kind of entry its nodes stand for, and the pure
 * function that renders it from the merged model. Views are listed in {@link Views#REGISTRY}.
 */
public record ViewDesc(String name, String label, String nodeKind, Function<Model, Topology> render) {}
