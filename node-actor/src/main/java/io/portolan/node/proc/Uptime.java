package io.portolan.node.proc;

import io.portolan.node.parse.Lines;
import java.util.Optional;

/** {@code /proc/uptime}: seconds since boot, and idle seconds summed over all cores. */
public record Uptime(double uptimeSeconds, double idleSeconds) {

  public static Optional<Uptime> parse(String content) {
    String[] f = Lines.fields(content);
    if (f.length < 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Uptime(Double.parseDouble(f[0]), Double.parseDouble(f[1])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
