package io.portolan.node.connections;

import java.util.List;

/** A snapshot of the host's connection-tracking table. */
public interface ConntrackPort {

  /** Where the flows came from, for logs and docs: {@code /proc/net/nf_conntrack} or {@code conntrack -L}. */
  record Flows(String source, List<ConntrackFlow> flows, int skipped) {}

  /** Throws {@link Unavailable} when no source works here (no module, no permission, no tool). */
  Flows flows() throws Unavailable;

  final class Unavailable extends Exception {
    public Unavailable(String message) {
      super(message, null, false, false);
    }
  }
}
