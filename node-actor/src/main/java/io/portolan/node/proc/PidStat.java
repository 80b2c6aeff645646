package io.portolan.node.proc;

import io.portolan.node.parse.Lines;
import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} the agent uses. Times are in clock ticks (USER_HZ, almost
 * always 100); {@code startTime} is ticks after boot; {@code vsizeBytes} is bytes; {@code rssPages} is
 * pages (multiply by the page size, usually 4096).
 */
public record PidStat(
    int pid,
    String comm,
    char state,
    int ppid,
    long utimeTicks,
    long stimeTicks,
    int numThreads,
    long startTimeTicks,
    long vsizeBytes,
    long rssPages) {

  /** Fields after the comm: field 3 (state) is index 0, so field n is index n - 3. */
  private static final int STATE = 0, PPID = 1, UTIME = 11, STIME = 12, NUM_THREADS = 17,
      START_TIME = 19, VSIZE = 20, RSS = 21;

  /**
   * Parses the whole file. The comm is whatever lies between the first {@code '('} and the LAST
   * {@code ')'}: a process may name itself {@code "a) b ("} and the kernel does not escape it.
   * Returns empty for a malformed or truncated file.
   */
  public static Optional<PidStat> parse(String content) {
    int open = content.indexOf('(');
    int close = content.lastIndexOf(')');
    if (open < 1 || close < open) {
      return Optional.empty();
    }
    try {
      int pid = Integer.parseInt(content.substring(0, open).strip());
      String comm = content.substring(open + 1, close);
      String[] f = Lines.fields(content.substring(close + 1));
      if (f.length <= RSS || f[STATE].length() != 1) {
        return Optional.empty();
      }
      return Optional.of(new PidStat(
          pid,
          comm,
          f[STATE].charAt(0),
          Integer.parseInt(f[PPID]),
          Lines.u64(f[UTIME]),
          Lines.u64(f[STIME]),
          Integer.parseInt(f[NUM_THREADS]),
          Lines.u64(f[START_TIME]),
          Lines.u64(f[VSIZE]),
          Long.parseLong(f[RSS])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
