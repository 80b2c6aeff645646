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
    byte[] b = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return parse(b, b.length);
  }

  /**
   * The same, straight from the bytes read (the hot path: every process, every pass): no field strings,
   * only the comm is decoded. Numbers are unsigned decimal (as {@link Lines#u64}); RSS may be negative.
   */
  public static Optional<PidStat> parse(byte[] b, int len) {
    int open = -1;
    for (int i = 0; i < len; i++) {
      if (b[i] == '(') {
        open = i;
        break;
      }
    }
    int close = -1;
    for (int i = len - 1; i > open && open >= 0; i--) {
      if (b[i] == ')') {
        close = i;
        break;
      }
    }
    if (open < 1 || close < open) {
      return Optional.empty();
    }
    int pidStart = 0;
    int pidEnd = open;
    while (pidStart < pidEnd && isSpace(b[pidStart])) {
      pidStart++;
    }
    while (pidEnd > pidStart && isSpace(b[pidEnd - 1])) {
      pidEnd--;
    }
    if (!allDigits(b, pidStart, pidEnd) || pidEnd - pidStart > 10) {
      return Optional.empty();
    }
    long pid = digits(b, pidStart, pidEnd);
    if (pid > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    char state = 0;
    long ppid = 0, utime = 0, stime = 0, threads = 0, start = 0, vsize = 0, rss = 0;
    int field = 0;
    int i = close + 1;
    while (field <= RSS) {
      while (i < len && isSpace(b[i])) {
        i++;
      }
      if (i >= len) {
        return Optional.empty(); // truncated
      }
      int from = i;
      while (i < len && !isSpace(b[i])) {
        i++;
      }
      if (field == STATE) {
        if (i - from != 1) {
          return Optional.empty();
        }
        state = (char) (b[from] & 0xff);
      } else if (field == PPID || field == UTIME || field == STIME || field == NUM_THREADS || field == START_TIME
          || field == VSIZE || field == RSS) {
        boolean negative = field == RSS && b[from] == '-';
        int numFrom = negative ? from + 1 : from;
        if (!allDigits(b, numFrom, i) || i - numFrom > 20) {
          return Optional.empty();
        }
        long v = digits(b, numFrom, i);
        switch (field) {
          case PPID -> ppid = v;
          case UTIME -> utime = v;
          case STIME -> stime = v;
          case NUM_THREADS -> threads = v;
          case START_TIME -> start = v;
          case VSIZE -> vsize = v;
          default -> rss = negative ? -v : v;
        }
      }
      field++;
    }
    if (ppid < 0 || ppid > Integer.MAX_VALUE || threads < 0 || threads > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    return Optional.of(new PidStat((int) pid, new String(b, open + 1, close - open - 1,
        java.nio.charset.StandardCharsets.UTF_8), state, (int) ppid, utime, stime, (int) threads, start, vsize, rss));
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
  }

  private static boolean allDigits(byte[] b, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return false;
      }
    }
    return true;
  }

  /** Unsigned decimal of checked digits, wrapping past 2^63 like {@link Long#parseUnsignedLong}. */
  private static long digits(byte[] b, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }

  static Optional<PidStat> parseFields(String content) {
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
