package io.portolan.node.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The readers against this machine's real /proc: catches what hand-written fixtures cannot. */
class ProcFsLiveTest {

  static final ProcFs PROC = new ProcFs(Path.of("/proc"));
  static final int SELF = (int) ProcessHandle.current().pid();

  @BeforeAll
  static void linuxOnly() {
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs a Linux /proc");
  }

  @Test
  void ownProcess() {
    assertThat(PROC.pids()).contains(SELF);
    PidStat stat = PROC.stat(SELF).orElseThrow();
    assertThat(stat.pid()).isEqualTo(SELF);
    assertThat(stat.comm()).isNotEmpty();
    assertThat(stat.ppid()).isPositive();
    assertThat(stat.rssPages()).isPositive();
    assertThat(stat.vsizeBytes()).isGreaterThan(stat.rssPages());
    assertThat(stat.numThreads()).isGreaterThan(1); // a JVM always has several
    assertThat(stat.state()).isIn('R', 'S');
    assertThat(PROC.status(SELF).orElseThrow().uid()).isGreaterThanOrEqualTo(0);
    assertThat(PROC.cmdline(SELF).orElseThrow()).isNotEmpty()
        .first().asString().contains("java");
    assertThat(PROC.fds(SELF).orElseThrow().count()).isGreaterThan(2);
  }

  @Test
  void everyProcessParses() {
    int parsed = 0;
    for (int pid : PROC.pids()) {
      if (PROC.stat(pid).isPresent()) {
        parsed++;
      }
    }
    // Processes may exit between listing and reading, but nearly all must parse.
    assertThat(parsed).isGreaterThan(PROC.pids().size() / 2).isPositive();
  }

  @Test
  void hostWideFiles() {
    var cpu = PROC.cpuTimes();
    assertThat(cpu.skipped()).isZero();
    assertThat(cpu.values()).first().matches(CpuTimes::isTotal);
    assertThat(cpu.values().size()).isGreaterThanOrEqualTo(2); // the total and at least one core
    MemInfo mem = PROC.memInfo();
    assertThat(mem.skipped()).isZero();
    assertThat(mem.totalBytes().orElseThrow()).isGreaterThan(mem.availableBytes().orElseThrow()).isPositive();
    assertThat(PROC.loadAvg().orElseThrow().tasks()).isPositive();
    assertThat(PROC.uptime().orElseThrow().uptimeSeconds()).isPositive();
    var dev = PROC.netDev();
    assertThat(dev.skipped()).isZero();
    assertThat(dev.values()).extracting(NetDevStats::iface).contains("lo");
    assertThat(PROC.diskStats().skipped()).isZero();
  }
}
