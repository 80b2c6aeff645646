package io.portolan.node.proc;

import io.portolan.node.parse.Lines;
import java.util.Optional;

/** {@code /proc/loadavg}: {@code 0.52 0.41 0.30 3/185 10171}. */
public record LoadAvg(double one, double five, double fifteen, int runnable, int tasks, int lastPid) {

  public static Optional<LoadAvg> parse(String content) {
    String[] f = Lines.fields(content);
    if (f.length < 5) {
      return Optional.empty();
    }
    int slash = f[3].indexOf('/');
    if (slash < 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(new LoadAvg(
          Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
          Integer.parseInt(f[3].substring(0, slash)), Integer.parseInt(f[3].substring(slash + 1)),
          Integer.parseInt(f[4])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
