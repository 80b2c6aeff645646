package io.portolan.cluster;

/**
 * Marker for every message, event and state that crosses the cluster or is persisted.
 * Bound to jackson-cbor in {@code serialization.conf}.
 */
public interface CborSerializable {}
