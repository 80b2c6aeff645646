package io.portolan.node.parse;

import java.util.List;

/**
 * What a line-oriented parser made of a file: the records it understood and how many lines it
 * skipped because they were malformed or truncated. Parsers never throw on bad input; a rising
 * {@code skipped} is the signal (e.g. a kernel format change) and is meant to be exported as a metric.
 */
public record Parsed<T>(List<T> values, int skipped) {

  public Parsed {
    values = List.copyOf(values);
    if (skipped < 0) {
      throw new IllegalArgumentException("skipped must be >= 0, was " + skipped);
    }
  }

  public static <T> Parsed<T> empty() {
    return new Parsed<>(List.of(), 0);
  }
}
