package io.portolan.node.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Small helpers shared by the /proc and conntrack parsers. */
public final class Lines {

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private Lines() {}

  /** Splits on runs of whitespace, ignoring leading and trailing whitespace. */
  public static String[] fields(String line) {
    String t = line.strip();
    return t.isEmpty() ? new String[0] : WHITESPACE.split(t);
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
