package io.portolan.node.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Small helpers shared by the /proc and conntrack parsers. */
public final class Lines {

  private Lines() {}

  private static final String[] NONE = new String[0];

  /**
   * Splits on runs of whitespace (as {@link Character#isWhitespace}), ignoring leading and trailing
   * whitespace. Without a regex: this runs for every line of the files read every second (meminfo,
   * net/dev, diskstats) and of conntrack, and {@code Pattern.split} allocated a matcher, a list and
   * its growth per line (BENCHMARK.md, allocation sites).
   */
  public static String[] fields(String line) {
    int n = line.length();
    int count = 0;
    for (int i = 0; i < n; ) {
      while (i < n && Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      if (i < n) {
        count++;
        while (i < n && !Character.isWhitespace(line.charAt(i))) {
          i++;
        }
      }
    }
    if (count == 0) {
      return NONE;
    }
    String[] out = new String[count];
    int k = 0;
    for (int i = 0; i < n; ) {
      while (i < n && Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      if (i > start) {
        out[k++] = line.substring(start, i);
      }
    }
    return out;
  }

  /**
   * Applies {@code parser} to every line that is not blank; an empty result or a runtime exception
   * (NumberFormatException, index out of bounds, ...) counts the line as skipped.
   */
  public static <T> Parsed<T> parseEach(Iterable<String> lines, Function<String, Optional<T>> parser) {
    List<T> out = new ArrayList<>();
    int skipped = 0;
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      Optional<T> value;
      try {
        value = parser.apply(line);
      } catch (RuntimeException e) {
        value = Optional.empty();
      }
      if (value.isPresent()) {
        out.add(value.get());
      } else {
        skipped++;
      }
    }
    return new Parsed<>(out, skipped);
  }

  /** Unsigned 64-bit decimal as the kernel prints it; values above Long.MAX_VALUE wrap (counters). */
  public static long u64(String s) {
    return Long.parseUnsignedLong(s);
  }
}
