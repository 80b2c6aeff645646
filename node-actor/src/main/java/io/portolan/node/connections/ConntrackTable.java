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
 * remembered too (and counted as skipped every time). The file is read into a buffer that is reused
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

  private Map<Key, ConntrackFlow> known = new HashMap<>();
  private ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
  private int parsedLast;

  private record Key(long hash, int length) {}

  /** Reads {@code file} whole and parses it; throws when it cannot be opened or read. */
  public Parsed<ConntrackFlow> read(Path file) throws IOException {
    ByteBuffer buf = buffer;
    buf.clear();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (true) {
        if (!buf.hasRemaining()) {
          if (buf.capacity() >= MAX_BYTES) {
            break; // bounded: the rest of the table is not read
          }
          ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_BYTES, buf.capacity() * 2));
          buf.flip();
          bigger.put(buf);
          buf = bigger;
          buffer = bigger;
        }
        if (ch.read(buf) < 0) {
          break;
        }
      }
    }
    return parse(buf.array(), buf.position());
  }

  /** Parses {@code len} bytes of table text, reusing what the previous call parsed. */
  public Parsed<ConntrackFlow> parse(byte[] b, int len) {
    Map<Key, ConntrackFlow> next = new HashMap<>(Math.max(16, known.size() * 4 / 3 + 1));
    List<ConntrackFlow> out = new ArrayList<>(known.size() + 16);
    int skipped = 0;
    int parsed = 0;
    int start = 0;
    while (start < len) {
      int end = start;
      while (end < len && b[end] != '\n') {
        end++;
      }
      int s = start;
      start = end + 1;
      if (isBlank(b, s, end) || startsWith(b, s, end, SUMMARY)) {
        continue;
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
        continue;
      }
      long t = timeout[0] < 0 ? -1 : digits(b, timeout[0], timeout[1]);
      if (t >= 0 && t != flow.timeoutSeconds()) {
        flow = new ConntrackFlow(flow.family(), flow.protocol(), flow.protocolNumber(), t, flow.state(),
            flow.original(), flow.reply(), flow.flags());
        next.put(key, flow);
      }
      out.add(flow);
    }
    known = next;
    parsedLast = parsed;
    return new Parsed<>(out, skipped);
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
