package io.portolan.gateway.agentlink;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of this node's agent endpoint, for {@code GET /api/admin/stats} and the logs. */
public final class IngestStats {

  public final LongAdder framesReceived = new LongAdder();
  public final LongAdder bytesReceived = new LongAdder();
  public final LongAdder reportsAccepted = new LongAdder();
  public final LongAdder fullReportsAccepted = new LongAdder();
  public final LongAdder entriesAccepted = new LongAdder();
  public final LongAdder samplesAccepted = new LongAdder();
  public final LongAdder unauthorized = new LongAdder();
  public final AtomicLong connections = new AtomicLong();
  public final LongAdder connectionsTotal = new LongAdder();
  private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();

  public void rejected(String reason) {
    rejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  public Map<String, Long> rejectedByReason() {
    Map<String, Long> out = new TreeMap<>();
    rejected.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public long rejectedTotal() {
    return rejected.values().stream().mapToLong(LongAdder::sum).sum();
  }
}
