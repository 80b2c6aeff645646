package io.portolan.node.proc;

import io.portolan.node.parse.Lines;
import io.portolan.node.parse.Parsed;
import java.util.Optional;

/** One interface of {@code /proc/net/dev} (the calling process's network namespace). */
public record NetDevStats(
    String iface, long rxBytes, long rxPackets, long rxErrors, long rxDropped,
    long txBytes, long txPackets, long txErrors, long txDropped) {

  /** The two header lines are not counted as skipped. */
  public static Parsed<NetDevStats> parse(String content) {
    return Lines.parseEach(
        content.lines().filter(l -> !l.contains("|")).toList(),
        NetDevStats::parseLine);
  }

  static Optional<NetDevStats> parseLine(String line) {
    int colon = line.indexOf(':');
    if (colon < 1) {
      return Optional.empty();
    }
    String iface = line.substring(0, colon).strip();
    // "eth0:123" happens when the counter is wide enough to touch the colon.
    String[] f = Lines.fields(line.substring(colon + 1));
    if (iface.isEmpty() || f.length < 16) {
      return Optional.empty();
    }
    return Optional.of(new NetDevStats(iface,
        Lines.u64(f[0]), Lines.u64(f[1]), Lines.u64(f[2]), Lines.u64(f[3]),
        Lines.u64(f[8]), Lines.u64(f[9]), Lines.u64(f[10]), Lines.u64(f[11])));
  }
}
