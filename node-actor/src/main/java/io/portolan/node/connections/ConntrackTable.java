package io.portolan.node.connections;

import io.portolan.node.parse.Parsed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Incremental reader of the conntrack table text (the {@link ConntrackFlow} line format). Between two
 * reads most flows are the same and only their timeout counted down, so each line is looked up by a
 * 64-bit hash of its bytes without the timeout field (plus its length), and only lines not seen in the
 * previous read are parsed by {@link ConntrackFlow#parseLine}; a remembered flow gets the new timeout.
 * A changed state, flag or counter changes the hash, so such a line is parsed again. Malformed lines are
 * remembered too (and counted as skipped every time). The file is read in chunks into a buffer that is reused
 * between reads. Not thread-safe: one reader per table, one read at a time.
 *
 * <p>A hash collision between two different lines of consecutive reads would report the older flow;
 * with 64-bit FNV-1a and a few thousand lines the odds are about 1 in 10^12 per read.
 */
public final class ConntrackTable {

  private static final ConntrackFlow MALFORMED = new ConntrackFlow("", "", 0, 0, Optional.empty(),
      null, null, java.util.Set.of());
  private static final byte[] SUMMARY = "conntrack v".getBytes(StandardCharsets.US_ASCII);
  /** The table is at most nf_conntrack_max lines of ~250 bytes; refuse to buffer more than this. */
  static final int MAX_BYTES = 64 * 1024 * 1024;

  /** Read size: the table is parsed a chunk at a time, so its size does not decide the buffer's. */
  static final int CHUNK = 64 * 1024;

  private Map<Key, ConntrackFlow> known = new HashMap<>();
  private byte[] buffer = new byte[CHUNK];
  private int parsedLast;

  private record Key(long hash, int length) {}

  /**
   * Reads {@code file} whole and parses it; throws when it cannot be opened or read. The file is read in
   * chunks of {@link #CHUNK} bytes and each chunk's complete lines are parsed before the next read (a
   * table of ~2,000 flows is ~0.5 MB of text; holding it whole kept a 1 MB buffer in the old generation).
   */
  public Parsed<ConntrackFlow> read(Path file) throws IOException {
    Pass pass = new Pass();
    byte[] b = buffer;
    int filled = 0;
    long total = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (total < MAX_BYTES) {
        if (filled == b.length) {
          int lineEnd = lastNewline(b, filled);
          if (lineEnd < 0) { // one line longer than the buffer: grow it
            b = java.util.Arrays.copyOf(b, b.length * 2);
            buffer = b;
          } else {
            pass.parse(b, 0, lineEnd + 1);
            System.arraycopy(b, lineEnd + 1, b, 0, filled - lineEnd - 1);
            filled -= lineEnd + 1;
          }
        }
        ByteBuffer bb = ByteBuffer.wrap(b, filled, (int) Math.min(b.length - filled, MAX_BYTES - total));
        int n = ch.read(bb);
        if (n < 0) {
          break;
        }
        filled += n;
        total += n;
      }
    }
    pass.parse(b, 0, filled);
    return pass.finish();
  }

  /** Parses {@code len} bytes of table text, reusing what the previous call parsed. */
  public Parsed<ConntrackFlow> parse(byte[] b, int len) {
    Pass pass = new Pass();
    pass.parse(b, 0, len);
    return pass.finish();
  }

  private static int lastNewline(byte[] b, int len) {
    for (int i = len - 1; i >= 0; i--) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** One read of the table: the lines seen so far, against what the previous read remembered. */
  private final class Pass {
    private final Map<Key, ConntrackFlow> next = new HashMap<>(Math.max(16, known.size() * 4 / 3 + 1));
    private final List<ConntrackFlow> out = new ArrayList<>(known.size() + 16);
    private int skipped;
    private int parsed;

    /** Parses the lines in [from, to); a line without its newline at the end counts as a line. */
    void parse(byte[] b, int from, int len) {
      int start = from;
      while (start < len) {
        int end = start;
        while (end < len && b[end] != '\n') {
          end++;
        }
        int s = start;
        start = end + 1;
        line(b, s, end);
      }
    }

    private void line(byte[] b, int s, int end) {
      if (isBlank(b, s, end) || startsWith(b, s, end, SUMMARY)) {
        return;
      }
      // the timeout: the 5th field after "ipv4 2 tcp 6", the 3rd in conntrack -L's shorter lines
      int[] timeout = timeoutField(b, s, end);
      long h = 0xcbf29ce484222325L;
      for (int i = s; i < end; i++) {
        if (i == timeout[0]) {
          i = timeout[1] - 1;
          continue;
        }
        h ^= b[i];
        h *= 0x100000001b3L;
      }
      Key key = new Key(h, end - s);
      ConntrackFlow flow = known.get(key);
      if (flow == null) {
        parsed++;
        try {
          flow = ConntrackFlow.parseLine(new String(b, s, end - s, StandardCharsets.US_ASCII)).orElse(MALFORMED);
        } catch (RuntimeException e) {
          flow = MALFORMED;
        }
      }
      next.put(key, flow);
      if (flow == MALFORMED) {
        skipped++;
        return;
      }
      long t = timeout[0] < 0 ? -1 : digits(b, timeout[0], timeout[1]);
      if (t >= 0 && t != flow.timeoutSeconds()) {
        flow = new ConntrackFlow(flow.family(), flow.protocol(), flow.protocolNumber(), t, flow.state(),
            flow.original(), flow.reply(), flow.flags());
        next.put(key, flow);
      }
      out.add(flow);
    }

    Parsed<ConntrackFlow> finish() {
      known = next;
      parsedLast = parsed;
      return new Parsed<>(out, skipped);
    }
  }

  /** How many lines the last call had to parse (the rest came from the previous call). */
  public int parsedLast() {
    return parsedLast;
  }

  /** [start, end) of the timeout field, or {-1, -1} when the line is too short to have one. */
  private static int[] timeoutField(byte[] b, int s, int end) {
    int field = 0;
    int i = s;
    int wanted = 2;
    while (i < end) {
      while (i < end && isSpace(b[i])) {
        i++;
      }
      if (i >= end) {
        break;
      }
      int from = i;
      while (i < end && !isSpace(b[i])) {
        i++;
      }
      if (field == 0 && (startsWith(b, from, i, IPV4) || startsWith(b, from, i, IPV6)) && i - from == 4) {
        wanted = 4;
      }
      if (field == wanted) {
        return new int[] {from, i};
      }
      field++;
    }
    return new int[] {-1, -1};
  }

  private static final byte[] IPV4 = "ipv4".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] IPV6 = "ipv6".getBytes(StandardCharsets.US_ASCII);

  private static long digits(byte[] b, int from, int to) {
    if (to - from > 18 || from >= to) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static boolean isBlank(byte[] b, int s, int end) {
    for (int i = s; i < end; i++) {
      if (!isSpace(b[i])) {
        return false;
      }
    }
    return true;
  }

  /** What {@code \\s} matches in ASCII, as the field splitter of {@link ConntrackFlow#parseLine} does. */
  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\r' || c == 0x0b || c == '\f';
  }

  private static boolean startsWith(byte[] b, int s, int end, byte[] prefix) {
    if (end - s < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[s + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
