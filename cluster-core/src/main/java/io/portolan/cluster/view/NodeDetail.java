package io.portolan.cluster.view;

import java.util.List;
import java.util.Map;

/**
 * The detail of one node: a metadata table, labels, parents (host, image, pod), children,
 * connections in and out (other nodes of the same view), and metrics with sparkline samples.
 * {@code hostId}/{@code metricsKey} say where the metrics live (the host's entity); the renderer
 * leaves {@code metrics} empty and the caller fills it with {@link #withMetrics}.
 */
public record NodeDetail(
    String view,
    ViewNode node,
    String hostId,
    String metricsKey,
    List<Row> metadata,
    Map<String, String> labels,
    List<Ref> parents,
    List<Ref> children,
    List<Link> inbound,
    List<Link> outbound,
    List<MetricView> metrics) {

  public record Row(String id, String label, String value) {}

  /** Another node; {@code view} is where it can be opened (null when no view shows it yet). */
  public record Ref(String id, String label, String kind, String view) {}

  public record Link(String nodeId, String label, int connections) {}

  /** One metric: latest value, min/max/avg over the window, and the 1-second samples ({@code [t, v]}). */
  public record MetricView(String metric, Double latest, Double min, Double max, Double avg, List<double[]> samples) {}

  public NodeDetail withMetrics(List<MetricView> newMetrics) {
    return new NodeDetail(view, node, hostId, metricsKey, metadata, labels, parents, children, inbound, outbound,
        newMetrics);
  }
}
