package io.portolan.cluster.topology;

/** Whether a host's agent is reporting: LIVE, STALE (silent past stale-after) or REMOVED. */
public enum HostStatus { LIVE, STALE, REMOVED }
