package io.portolan.cluster.topology;

import io.portolan.protocol.Entry;
import io.portolan.protocol.Payload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state of one host as a value: per key, the {@link Entry} with the newest timestamp
 * (Scope's LatestMap, typed). {@link #merge} is associative, commutative and idempotent, so
 * reports and deltas can be applied in any order and more than once and still converge.
 * Ties (same key, same timestamp) are broken by a total order: a tombstone beats a live entry,
 * otherwise the payload with the larger hash (then string) wins.
 */
public final class LatestMap {

  public static final LatestMap EMPTY = new LatestMap(Map.of());

  private final Map<String, Entry> entries;

  private LatestMap(Map<String, Entry> entries) {
    this.entries = entries;
  }

  public static LatestMap of(Collection<Entry> entries) {
    return EMPTY.mergeEntries(entries).map();
  }

  /** Every entry, tombstones included. Unmodifiable. */
  public Map<String, Entry> entries() {
    return entries;
  }

  public int size() {
    return entries.size();
  }

  /** The live payloads (tombstones left out). */
  public Map<String, Payload> live() {
    Map<String, Payload> live = new HashMap<>(entries.size() * 2);
    entries.forEach((key, entry) -> {
      if (!entry.isTombstone()) {
        live.put(key, entry.payload());
      }
    });
    return live;
  }

  /** The merge of two values: per key the winner of {@link #compare}. */
  public LatestMap merge(LatestMap other) {
    return mergeEntries(other.entries.values()).map();
  }

  /** The result of a merge together with the entries that changed the value. */
  public record Merged(LatestMap map, List<Entry> changed) {}

  /** Merges entries and says which of them won (were new or newer). */
  public Merged mergeEntries(Collection<Entry> incoming) {
    if (incoming.isEmpty()) {
      return new Merged(this, List.of());
    }
    // Copied only once something wins: most entries of a full report are the ones already held.
    Map<String, Entry> next = null;
    List<Entry> changed = null;
    for (Entry entry : incoming) {
      Entry current = (next != null ? next : entries).get(entry.key());
      if (current == null || compare(entry, current) > 0) {
        if (next == null) {
          next = new HashMap<>(Math.max(16, (entries.size() + incoming.size()) * 4 / 3 + 1));
          next.putAll(entries);
          changed = new ArrayList<>();
        }
        next.put(entry.key(), entry);
        changed.add(entry);
      }
    }
    if (next == null) {
      return new Merged(this, List.of());
    }
    return new Merged(new LatestMap(Collections.unmodifiableMap(next)), changed);
  }

  /**
   * A full report is authoritative: its entries are merged, and every live key it lacks gets a
   * tombstone as of {@code asOf} (an entry newer than that survives, as the merge order demands).
   */
  public Merged applyFull(Collection<Entry> report, long asOf) {
    Map<String, Boolean> present = new HashMap<>(report.size() * 2);
    for (Entry e : report) {
      present.put(e.key(), Boolean.TRUE);
    }
    List<Entry> all = new ArrayList<>(report);
    entries.forEach((key, entry) -> {
      if (!entry.isTombstone() && !present.containsKey(key)) {
        all.add(Entry.tombstone(key, asOf));
      }
    });
    return mergeEntries(all);
  }

  /** Drops tombstones older than {@code before}; they only matter while late deltas can arrive. */
  public LatestMap withoutTombstonesBefore(long before) {
    boolean any = false;
    for (Entry e : entries.values()) {
      if (e.isTombstone() && e.timestamp() < before) {
        any = true;
        break;
      }
    }
    if (!any) {
      return this;
    }
    Map<String, Entry> next = new HashMap<>(entries);
    next.values().removeIf(e -> e.isTombstone() && e.timestamp() < before);
    return new LatestMap(Collections.unmodifiableMap(next));
  }

  /** Positive when {@code a} wins over {@code b} for the same key. A total order on entries. */
  static int compare(Entry a, Entry b) {
    int byTime = Long.compare(a.timestamp(), b.timestamp());
    if (byTime != 0) {
      return byTime;
    }
    if (a.isTombstone() || b.isTombstone()) {
      return Boolean.compare(a.isTombstone(), b.isTombstone());
    }
    if (Objects.equals(a.payload(), b.payload())) {
      return 0;
    }
    int byHash = Integer.compare(a.payload().hashCode(), b.payload().hashCode());
    return byHash != 0 ? byHash : a.payload().toString().compareTo(b.payload().toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatestMap other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "LatestMap" + entries.values();
  }
}
