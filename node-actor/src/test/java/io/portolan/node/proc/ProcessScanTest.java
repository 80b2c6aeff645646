package io.portolan.node.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portolan.protocol.Payload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which processes a pass reports and reads in full, and the real port's kept-open stat files. */
class ProcessScanTest {

  /** An in-memory /proc: pid → stat; counts the full reads. */
  static final class FakePort implements ProcessPort {
    final Map<Integer, PidStat> procs = new HashMap<>();
    final List<Integer> detailReads = new java.util.ArrayList<>();
    Set<Integer> retained = Set.of();

    void add(int pid, long start) {
      procs.put(pid, new PidStat(pid, "p" + pid, 'S', 1, 10, 5, 1, start, 4096, 10));
    }

    @Override
    public List<Integer> pids() {
      return List.copyOf(procs.keySet());
    }

    @Override
    public Optional<PidStat> stat(int pid) {
      return Optional.ofNullable(procs.get(pid));
    }

    @Override
    public Optional<Details> details(int pid) {
      detailReads.add(pid);
      return Optional.of(new Details("cmd " + pid, 0, "root", "/", ""));
    }

    @Override
    public void retain(Set<Integer> alive) {
      retained = new HashSet<>(alive);
    }

    @Override
    public long pageSize() {
      return 4096;
    }

    @Override
    public long ticksPerSecond() {
      return 100;
    }
  }

  @Test
  void theFirstPassReportsEverythingLaterOnesOnlyProcessesThatSurvivedAPass() {
    FakePort port = new FakePort();
    port.add(10, 100);
    port.add(11, 100);
    ProcessScan.Result first = ProcessScan.scan(port, "h", Map.of(), 1_000);
    assertThat(first.entries()).containsOnlyKeys("process:h;10", "process:h;11");

    port.add(12, 200); // new: seen once, not read in full, not reported
    port.detailReads.clear();
    ProcessScan.Result second = ProcessScan.scan(port, "h", first.known(), 3_000);
    assertThat(second.entries()).containsOnlyKeys("process:h;10", "process:h;11");
    assertThat(port.detailReads).isEmpty();

    ProcessScan.Result third = ProcessScan.scan(port, "h", second.known(), 5_000);
    assertThat(third.entries()).containsKey("process:h;12");
    assertThat(((Payload.Process) third.entries().get("process:h;12")).cmdline()).isEqualTo("cmd 12");
    assertThat(port.detailReads).containsExactly(12);
    // its CPU % comes from the pass that first saw it
    assertThat(third.samples()).anyMatch(s -> s.key().equals("process:h;12") && s.metric().equals("cpu_percent"));
  }

  @Test
  void aProcessThatLivesOnePassOnlyIsNeverReadNorReportedAndAReusedPidStartsOver() {
    FakePort port = new FakePort();
    port.add(10, 100);
    ProcessScan.Result r = ProcessScan.scan(port, "h", Map.of(), 1_000);
    port.add(20, 300);
    r = ProcessScan.scan(port, "h", r.known(), 3_000);
    port.procs.remove(20);
    port.detailReads.clear();
    r = ProcessScan.scan(port, "h", r.known(), 5_000);
    assertThat(r.entries()).containsOnlyKeys("process:h;10");
    assertThat(port.detailReads).isEmpty();
    assertThat(port.retained).containsExactly(10);

    port.add(10, 999); // pid 10 reused by a new process: pending again
    r = ProcessScan.scan(port, "h", r.known(), 7_000);
    assertThat(r.entries()).isEmpty();
    r = ProcessScan.scan(port, "h", r.known(), 9_000);
    assertThat(r.entries()).containsOnlyKeys("process:h;10");
  }

  @Test
  void theRealPortKeepsStatOpenAndClosesItWhenTheProcessIsGone() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs a Linux /proc");
    ProcFsProcessPort port = new ProcFsProcessPort(Path.of("/proc"));
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      int pid = (int) sleeper.pid();
      PidStat first = port.stat(pid).orElseThrow();
      assertThat(first.comm()).isEqualTo("sleep");
      int open = port.openFiles();
      assertThat(open).isPositive();
      assertThat(port.stat(pid)).hasValueSatisfying(s -> assertThat(s.startTimeTicks()).isEqualTo(first.startTimeTicks()));
      assertThat(port.openFiles()).isEqualTo(open); // read again through the same file

      sleeper.destroy();
      assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(port.stat(pid)).isEmpty(); // gone (ESRCH on the kept file): closed
      assertThat(port.openFiles()).isEqualTo(open - 1);
    } finally {
      sleeper.destroyForcibly();
    }
    port.stat((int) ProcessHandle.current().pid());
    port.retain(Set.of());
    assertThat(port.openFiles()).isZero();
  }
}
