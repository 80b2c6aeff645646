package io.portolan.cluster.view;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/**
 * A directed edge: {@code source} (the client side) opened {@code connections} to {@code target}.
 * {@code id} ({@code source->target}) orders and keys edges here; it is not written in JSON (an edge
 * is identified by its two ends, and the id repeated both: ~30 % of the containers view, see
 * loadgen/BENCHMARK.md, "answer size"), nor is {@code connections} when it is 1.
 */
public record ViewEdge(@JsonIgnore String id, String source, String target,
    @JsonInclude(value = Include.CUSTOM, valueFilter = JsonDefaults.One.class) int connections) {

  public static ViewEdge of(String source, String target, int connections) {
    return new ViewEdge(source + "->" + target, source, target, connections);
  }
}
