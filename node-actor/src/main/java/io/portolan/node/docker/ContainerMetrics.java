package io.portolan.node.docker;

import io.portolan.protocol.MetricSample;
import java.util.ArrayList;
import java.util.List;

/** Samples from two successive stats readings of one container (pure). CPU % is of one core. */
public final class ContainerMetrics {

  private ContainerMetrics() {}

  public static List<MetricSample> samples(String key, DockerPort.ContainerStats prev, DockerPort.ContainerStats now,
      long timestamp) {
    List<MetricSample> out = new ArrayList<>(9);
    out.add(new MetricSample(key, "memory_bytes", timestamp, now.memoryUsageBytes()));
    if (now.memoryLimitBytes() > 0) {
      out.add(new MetricSample(key, "memory_limit_bytes", timestamp, now.memoryLimitBytes()));
    }
    out.add(new MetricSample(key, "pids", timestamp, now.pids()));
    if (prev != null) {
      long dSystem = now.systemCpuNanos() - prev.systemCpuNanos();
      long dCpu = now.cpuTotalNanos() - prev.cpuTotalNanos();
      if (dSystem > 0 && dCpu >= 0) {
        out.add(new MetricSample(key, "cpu_percent", timestamp, 100.0 * dCpu / dSystem * now.onlineCpus()));
      }
      double seconds = (now.readAtMillis() - prev.readAtMillis()) / 1000.0;
      if (seconds > 0) {
        out.add(rate(key, "net_rx_bytes_per_s", timestamp, now.netRxBytes() - prev.netRxBytes(), seconds));
        out.add(rate(key, "net_tx_bytes_per_s", timestamp, now.netTxBytes() - prev.netTxBytes(), seconds));
        out.add(rate(key, "disk_read_bytes_per_s", timestamp, now.blkReadBytes() - prev.blkReadBytes(), seconds));
        out.add(rate(key, "disk_write_bytes_per_s", timestamp, now.blkWriteBytes() - prev.blkWriteBytes(), seconds));
      }
    }
    return out;
  }

  /** Counters that went backwards (container restarted, interface recreated) give 0, not a negative rate. */
  static MetricSample rate(String key, String metric, long timestamp, long delta, double seconds) {
    return new MetricSample(key, metric, timestamp, delta < 0 ? 0 : delta / seconds);
  }
}
