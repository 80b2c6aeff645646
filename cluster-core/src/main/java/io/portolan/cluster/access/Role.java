package io.portolan.cluster.access;

/** What a user or token may do; each role includes the ones before it. */
public enum Role {
  /** Topology, metrics, search. */
  VIEWER,
  /** And container controls, logs, exec. */
  OPERATOR,
  /** And users, tokens, settings, audit log. */
  ADMIN;

  public boolean includes(Role required) {
    return compareTo(required) >= 0;
  }
}
