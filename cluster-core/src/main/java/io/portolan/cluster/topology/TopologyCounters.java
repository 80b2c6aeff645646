package io.portolan.cluster.topology;

import java.util.concurrent.atomic.AtomicLong;

/** Process-wide gauges and counters for {@code GET /api/admin/stats}. */
public final class TopologyCounters {

  /** Host entities alive on this node. */
  public static final AtomicLong HOST_ENTITIES = new AtomicLong();
  /** RequestFullReport messages sent to agents by entities on this node. */
  public static final AtomicLong FULL_REPORT_REQUESTS = new AtomicLong();
  /** Host deltas applied by this node's read model. */
  public static final AtomicLong DELTAS_APPLIED = new AtomicLong();
  /** Snapshots this node's read model asked for after a gap. */
  public static final AtomicLong SNAPSHOT_REQUESTS = new AtomicLong();

  /** Host deltas published by entities on this node. */
  public static final AtomicLong PUBLICATIONS = new AtomicLong();
  /** Reports whose metric-only update was batched into a later publication. */
  public static final AtomicLong PUBLICATIONS_DEFERRED = new AtomicLong();

  private TopologyCounters() {}
}
