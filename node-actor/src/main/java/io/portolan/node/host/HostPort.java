package io.portolan.node.host;

import io.portolan.protocol.Payload;

/** Host facts and counters. Blocking file I/O: call on the blocking dispatcher. */
public interface HostPort {

  /** Slow-changing facts: hostname, interfaces, OS, kernel, arch, cores, memory, mounts, load, uptime. */
  Payload.Host facts();

  /** Cumulative counters, sampled each second; rates come from two of them. */
  Counters counters();

  record Counters(
      long atMillis,
      long cpuBusyTicks,
      long cpuTotalTicks,
      long memoryTotalBytes,
      long memoryAvailableBytes,
      long netRxBytes,
      long netTxBytes,
      long diskReadBytes,
      long diskWriteBytes,
      double load1) {}
}
