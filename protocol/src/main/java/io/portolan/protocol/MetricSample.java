package io.portolan.protocol;

/**
 * One sample of one metric of one entry ({@code key} as in {@link Entry}). Metric names:
 * {@code cpu_percent}, {@code memory_bytes}, {@code memory_limit_bytes}, {@code net_rx_bytes_per_s},
 * {@code net_tx_bytes_per_s}, {@code disk_read_bytes_per_s}, {@code disk_write_bytes_per_s},
 * {@code pids}, {@code rss_bytes}, {@code open_fds}.
 */
public record MetricSample(String key, String metric, long timestamp, double value) {}
