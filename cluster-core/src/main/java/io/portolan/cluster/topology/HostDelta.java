package io.portolan.cluster.topology;

import io.portolan.cluster.CborSerializable;
import io.portolan.protocol.Entry;
import java.util.List;
import java.util.Map;

/**
 * What a {@link HostEntity} publishes to every node's read model after each report: the entries
 * that changed (tombstones for removed keys), the latest metric values, and the host's status.
 * {@code full}: the entries are the host's complete live state as of {@code asOf} (agent clock) and
 * are applied like a full report (keys the reader holds and the snapshot lacks are removed).
 * {@code epoch} names one incarnation of the entity; {@code version} counts its publications, so a
 * reader can detect a gap (a lost message, a new incarnation) and ask for a snapshot. Readers merge
 * with {@link LatestMap}, so a duplicate or reordered delta does no harm.
 */
public record HostDelta(
    String hostId,
    long epoch,
    long version,
    boolean full,
    long asOf,
    HostStatus status,
    String agentId,
    String servedBy,
    long lastReportAt,
    List<Entry> entries,
    Map<String, Map<String, Double>> metrics,
    long publishedAt) implements CborSerializable {}
