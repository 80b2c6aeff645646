package io.portolan.node.proc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@code /proc/<pid>/cmdline}: arguments separated (and usually terminated) by NUL. */
public final class Cmdline {

  private Cmdline() {}

  /**
   * Empty for kernel threads and zombies. A process that rewrote its argv (nginx, postgres) may have
   * a single argument with spaces and no NUL; that comes back as one element, as written.
   */
  public static List<String> parse(byte[] raw) {
    int end = raw.length;
    while (end > 0 && raw[end - 1] == 0) {
      end--;
    }
    List<String> args = new ArrayList<>();
    if (end == 0) {
      return List.of();
    }
    int start = 0;
    for (int i = 0; i <= end; i++) {
      if (i == end || raw[i] == 0) {
        args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return List.copyOf(args);
  }
}
