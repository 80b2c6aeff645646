package io.portolan.node.proc;

import io.portolan.node.parse.Lines;
import io.portolan.node.parse.Parsed;
import java.util.Optional;

/**
 * One device of {@code /proc/diskstats}. Kernels print 14 (before 4.18), 18 (4.18+, discard) or
 * 20 (5.5+, flush) fields; the first 14 are all we read. Sectors are 512 bytes regardless of the device.
 */
public record DiskStats(
    int major, int minor, String device,
    long readsCompleted, long readsMerged, long sectorsRead, long readMillis,
    long writesCompleted, long writesMerged, long sectorsWritten, long writeMillis,
    long iosInProgress, long ioMillis, long weightedIoMillis) {

  public static Parsed<DiskStats> parse(String content) {
    return Lines.parseEach(content.lines().toList(), DiskStats::parseLine);
  }

  static Optional<DiskStats> parseLine(String line) {
    String[] f = Lines.fields(line);
    if (f.length < 14) {
      return Optional.empty();
    }
    return Optional.of(new DiskStats(
        Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2],
        Lines.u64(f[3]), Lines.u64(f[4]), Lines.u64(f[5]), Lines.u64(f[6]),
        Lines.u64(f[7]), Lines.u64(f[8]), Lines.u64(f[9]), Lines.u64(f[10]),
        Lines.u64(f[11]), Lines.u64(f[12]), Lines.u64(f[13])));
  }
}
