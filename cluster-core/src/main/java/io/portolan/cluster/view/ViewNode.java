package io.portolan.cluster.view;

import java.util.Map;

/**
 * One node of a rendered view. {@code status}: healthy, warning, critical or stale. {@code count}:
 * how many entries a grouped node stands for (1 otherwise). {@code running}, {@code system},
 * {@code labels} and {@code namespace} are what the filters look at.
 */
public record ViewNode(
    String id,
    String label,
    String labelMinor,
    String shape,
    String status,
    String kind,
    String hostId,
    int count,
    Map<String, Double> metrics,
    boolean running,
    boolean system,
    Map<String, String> labels,
    String namespace) {}
