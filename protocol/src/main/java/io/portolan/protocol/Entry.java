package io.portolan.protocol;

/**
 * One keyed fact with the time it was observed. {@code payload == null} is a tombstone: the thing
 * is gone as of {@code timestamp}. Merging keeps, per key, the entry with the newest timestamp.
 */
public record Entry(String key, long timestamp, Payload payload) {

  public static Entry tombstone(String key, long timestamp) {
    return new Entry(key, timestamp, null);
  }

  public boolean isTombstone() {
    return payload == null;
  }
}
