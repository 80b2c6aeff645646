package io.portolan.node.proc;

import io.portolan.node.parse.Lines;
import io.portolan.node.parse.Parsed;
import java.util.Optional;

/**
 * A {@code cpu}/{@code cpuN} line of {@code /proc/stat}, in clock ticks. Kernels before 2.6.33 print
 * fewer columns; missing trailing columns read as 0, fewer than four (user nice system idle) is malformed.
 */
public record CpuTimes(
    String cpu, long user, long nice, long system, long idle, long iowait, long irq, long softirq,
    long steal, long guest, long guestNice) {

  /** The aggregate line is named {@code "cpu"}; per-core lines {@code "cpu0"}, {@code "cpu1"}, ... */
  public boolean isTotal() {
    return cpu.equals("cpu");
  }

  public long busy() {
    // guest time is already included in user (and guest_nice in nice).
    return user + nice + system + irq + softirq + steal;
  }

  public long total() {
    return busy() + idle + iowait;
  }

  /** All cpu lines of {@code /proc/stat}; other lines (intr, ctxt, btime, ...) are not ours and ignored. */
  public static Parsed<CpuTimes> parse(String procStat) {
    return Lines.parseEach(
        procStat.lines().filter(l -> l.startsWith("cpu")).toList(),
        CpuTimes::parseLine);
  }

  static Optional<CpuTimes> parseLine(String line) {
    String[] f = Lines.fields(line);
    if (f.length < 5 || !f[0].matches("cpu\\d*")) {
      return Optional.empty();
    }
    long[] v = new long[10];
    for (int i = 1; i < f.length && i <= v.length; i++) {
      v[i - 1] = Lines.u64(f[i]);
    }
    return Optional.of(new CpuTimes(f[0], v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]));
  }
}
