package io.portolan.node.proc;

import io.portolan.node.parse.Lines;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code /proc/meminfo}. Values with a {@code kB} unit are converted to bytes; unit-less values
 * ({@code HugePages_Total}, ...) are kept as counts. {@code skipped} counts malformed lines.
 */
public record MemInfo(Map<String, Long> values, int skipped) {

  public MemInfo {
    values = Map.copyOf(values);
  }

  public OptionalLong get(String key) {
    Long v = values.get(key);
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  public OptionalLong totalBytes() {
    return get("MemTotal");
  }

  /** MemAvailable (kernels since 3.14). */
  public OptionalLong availableBytes() {
    return get("MemAvailable");
  }

  public static MemInfo parse(String content) {
    Map<String, Long> values = new LinkedHashMap<>();
    int skipped = 0;
    for (String line : content.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(':');
      String[] f = colon < 1 ? new String[0] : Lines.fields(line.substring(colon + 1));
      try {
        if (f.length == 1) {
          values.put(line.substring(0, colon), Lines.u64(f[0]));
        } else if (f.length == 2 && f[1].equals("kB")) {
          values.put(line.substring(0, colon), Math.multiplyExact(Lines.u64(f[0]), 1024L));
        } else {
          skipped++;
        }
      } catch (NumberFormatException | ArithmeticException e) {
        skipped++;
      }
    }
    return new MemInfo(values, skipped);
  }
}
