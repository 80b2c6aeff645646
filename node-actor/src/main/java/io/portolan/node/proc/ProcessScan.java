package io.portolan.node.proc;

import io.portolan.protocol.Keys;
import io.portolan.protocol.MetricSample;
import io.portolan.protocol.Payload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass over /proc. Per process, only {@code stat} is read every pass; command line, owner, cwd and
 * container are read once per process (keyed by pid and start time, so a reused pid is read again), and
 * only once it has survived one pass: a process first seen in a pass is remembered as pending and
 * reported from the next pass on. Short-lived processes (a shell's {@code sleep 1}, a health check, a
 * client loop's {@code wget}: ~33 per second in the benchmark) thus cost one {@code stat} read and are
 * never reported — a process that lives shorter than one process interval (2 s by default) is not
 * seen, which Weave Scope's probe (a 10 s walk) did not do either. The first pass after a start reports
 * everything at once. Kernel threads are remembered and skipped without reading anything.
 */
public final class ProcessScan {

  /** What we remember of a process between passes. {@code details == null}: a kernel thread. */
  public record Known(long startTime, ProcessPort.Details details, long cpuTicks, long atMillis) {
    boolean pending() {
      return details == PENDING;
    }
  }

  /** {@link Known#details()} of a process seen in one pass only (not read, not reported yet). */
  static final ProcessPort.Details PENDING = new ProcessPort.Details("", -1, "", "", "");

  public record Result(Map<String, Payload> entries, List<MetricSample> samples, Map<Integer, Known> known) {}

  private ProcessScan() {}

  public static Result scan(ProcessPort port, String hostId, Map<Integer, Known> previous, long now) {
    Map<String, Payload> entries = new HashMap<>();
    List<MetricSample> samples = new ArrayList<>();
    Map<Integer, Known> known = new HashMap<>();
    for (int pid : port.pids()) {
      Known prev = previous.get(pid);
      if (prev != null && prev.details() == null) {
        known.put(pid, prev); // kernel thread
        continue;
      }
      var stat = port.stat(pid);
      if (stat.isEmpty()) {
        continue;
      }
      PidStat s = stat.get();
      long ticks = s.utimeTicks() + s.stimeTicks();
      ProcessPort.Details details;
      if (prev != null && prev.startTime() == s.startTimeTicks() && !prev.pending()) {
        details = prev.details();
      } else if (s.pid() == 2 || s.ppid() == 2) {
        known.put(pid, new Known(s.startTimeTicks(), null, 0, now));
        continue;
      } else if ((prev != null && prev.startTime() == s.startTimeTicks()) || previous.isEmpty()) {
        // survived a pass (or the first pass after a start): read it in full once
        var d = port.details(pid);
        if (d.isEmpty()) {
          continue;
        }
        details = d.get();
      } else {
        known.put(pid, new Known(s.startTimeTicks(), PENDING, ticks, now));
        continue;
      }
      known.put(pid, new Known(s.startTimeTicks(), details, ticks, now));
      String key = Keys.process(hostId, pid);
      entries.put(key, new Payload.Process(pid, s.ppid(), s.comm(), details.cmdline(), details.uid(),
          details.user(), details.cwd(), String.valueOf(s.state()), s.numThreads(), details.containerId()));
      samples.add(new MetricSample(key, "rss_bytes", now, s.rssPages() * port.pageSize()));
      if (prev != null && now > prev.atMillis()) {
        double cpuSeconds = (double) (ticks - prev.cpuTicks()) / port.ticksPerSecond();
        double pct = 100.0 * cpuSeconds / ((now - prev.atMillis()) / 1000.0);
        samples.add(new MetricSample(key, "cpu_percent", now, Math.max(0, Math.round(pct * 10) / 10.0)));
      }
    }
    port.retain(known.keySet());
    return new Result(entries, samples, known);
  }
}
