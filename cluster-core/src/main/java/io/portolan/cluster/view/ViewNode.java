package io.portolan.cluster.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Map;

/**
 * One node of a rendered view. {@code status}: healthy, warning, critical or stale. {@code count}:
 * how many entries a grouped node stands for (1 otherwise). {@code running}, {@code system},
 * {@code labels} and {@code namespace} are what the filters look at.
 *
 * <p>In JSON a field at its default is left out (a view answer at a thousand hosts is megabytes, see
 * loadgen/BENCHMARK.md, "answer size"): {@code labelMinor}, {@code hostId}, {@code namespace} when
 * null, {@code count} when 1, {@code running} when true, {@code system} when false, {@code metrics}
 * and {@code labels} when empty. Metric values are written with 4 significant digits
 * ({@link MetricJson}).
 */
public record ViewNode(
    String id,
    String label,
    @JsonInclude(Include.NON_NULL) String labelMinor,
    String shape,
    String status,
    String kind,
    @JsonInclude(Include.NON_NULL) String hostId,
    @JsonInclude(value = Include.CUSTOM, valueFilter = JsonDefaults.One.class) int count,
    @JsonInclude(Include.NON_EMPTY) @JsonSerialize(contentUsing = MetricJson.class) Map<String, Double> metrics,
    @JsonInclude(value = Include.CUSTOM, valueFilter = JsonDefaults.True.class) boolean running,
    @JsonInclude(Include.NON_DEFAULT) boolean system,
    @JsonInclude(Include.NON_EMPTY) Map<String, String> labels,
    @JsonInclude(Include.NON_NULL) String namespace) {}
