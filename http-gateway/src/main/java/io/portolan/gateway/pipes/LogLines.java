package io.portolan.gateway.pipes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a pipe's stdout and stderr chunks into lines (a chunk may end mid-line; each stream keeps
 * its own unfinished line, at most {@link #MAX_LINE} bytes, beyond which the line is cut). With
 * timestamps the engine's RFC 3339 prefix becomes the line's {@code ts}.
 */
public final class LogLines {

  public static final int MAX_LINE = 64 * 1024;

  /** One line: {@code ts} null unless timestamps were asked for. */
  public record Line(String stream, String line, String ts) {}

  private final boolean timestamps;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  public LogLines(boolean timestamps) {
    this.timestamps = timestamps;
  }

  public List<Line> add(String stream, byte[] bytes) {
    ByteArrayOutputStream carry = stream.equals("stderr") ? stderr : stdout;
    List<Line> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        carry.write(bytes, start, i - start);
        lines.add(line(stream, carry));
        start = i + 1;
      } else if (carry.size() + (i - start) >= MAX_LINE) {
        carry.write(bytes, start, i - start);
        lines.add(line(stream, carry));
        start = i;
      }
    }
    carry.write(bytes, start, bytes.length - start);
    return lines;
  }

  /** The unfinished lines, at the end of the stream. */
  public List<Line> flush() {
    List<Line> lines = new ArrayList<>();
    if (stdout.size() > 0) {
      lines.add(line("stdout", stdout));
    }
    if (stderr.size() > 0) {
      lines.add(line("stderr", stderr));
    }
    return lines;
  }

  private Line line(String stream, ByteArrayOutputStream carry) {
    String text = carry.toString(StandardCharsets.UTF_8);
    carry.reset();
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    String ts = null;
    if (timestamps) {
      int space = text.indexOf(' ');
      if (space > 0 && space <= 40 && Character.isDigit(text.charAt(0)) && text.charAt(space - 1) == 'Z') {
        ts = text.substring(0, space);
        text = text.substring(space + 1);
      }
    }
    return new Line(stream, text, ts);
  }
}
