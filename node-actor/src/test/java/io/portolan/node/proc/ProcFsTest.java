package io.portolan.node.proc;

import static io.portolan.node.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProcFs against a fake proc root assembled from the fixtures, as /host/proc would be mounted. */
class ProcFsTest {

  @TempDir Path root;
  ProcFs proc;

  @BeforeEach
  void fakeProcRoot() throws IOException {
    Path pid = Files.createDirectories(root.resolve("4242"));
    Files.write(pid.resolve("stat"), bytes("proc/pid/stat-java"));
    Files.write(pid.resolve("status"), bytes("proc/pid/status-java"));
    Files.write(pid.resolve("cmdline"), bytes("proc/pid/cmdline-java"));
    Files.write(pid.resolve("cgroup"), bytes("proc/cgroup/v1-docker"));
    Path fd = Files.createDirectories(pid.resolve("fd"));
    Files.createSymbolicLink(fd.resolve("0"), Path.of("/dev/null"));
    Files.createSymbolicLink(fd.resolve("1"), Path.of("pipe:[20957]"));
    Files.createSymbolicLink(fd.resolve("3"), Path.of("socket:[21339]"));
    Files.createSymbolicLink(fd.resolve("4"), Path.of("socket:[48211]"));
    Files.createSymbolicLink(fd.resolve("5"), Path.of("anon_inode:[eventpoll]"));
    Path broken = Files.createDirectories(root.resolve("4243"));
    Files.write(broken.resolve("stat"), bytes("proc/pid/stat-truncated"));
    Files.createDirectories(root.resolve("self"));
    Files.createDirectories(root.resolve("sys"));
    Files.createDirectories(root.resolve("99999999999")); // longer than an int: not a pid
    Files.createDirectories(root.resolve("2147483648")); // one more than an int holds
    Files.write(root.resolve("meminfo"), bytes("proc/host/meminfo"));
    Files.write(root.resolve("stat"), bytes("proc/host/stat"));
    Files.write(root.resolve("loadavg"), bytes("proc/host/loadavg"));
    Files.write(root.resolve("uptime"), bytes("proc/host/uptime"));
    Files.write(root.resolve("diskstats"), bytes("proc/host/diskstats"));
    Files.write(Files.createDirectories(root.resolve("net")).resolve("dev"), bytes("proc/host/net-dev"));
    proc = new ProcFs(root);
  }

  @Test
  void listsOnlyPids() {
    assertThat(proc.pids()).containsExactlyInAnyOrder(4242, 4243);
  }

  @Test
  void readsEveryPerProcessFile() {
    assertThat(proc.stat(4242)).map(PidStat::comm).contains("java");
    assertThat(proc.status(4242)).map(PidStatus::uid).contains(1000);
    assertThat(proc.cmdline(4242)).hasValueSatisfying(a -> assertThat(a).startsWith("java", "-Xmx1g"));
    assertThat(proc.containerId(4242))
        .contains("92aeb4266741b8cd6c01f27058fa9a02169a40590627ee6b280884e3125d3543");
    assertThat(proc.fds(4242)).contains(new FdSummary(5, java.util.Set.of(21339L, 48211L)));
  }

  @Test
  void aGoneOrBrokenProcessIsEmptyNotAnException() {
    assertThat(proc.stat(4243)).isEmpty();   // truncated stat
    assertThat(proc.status(4243)).isEmpty(); // no such file
    assertThat(proc.fds(4243)).isEmpty();
    assertThat(proc.stat(1)).isEmpty();      // no such process
    assertThat(proc.cmdline(1)).isEmpty();
    assertThat(proc.containerId(1)).isEmpty();
  }

  @Test
  void readsHostFiles() {
    assertThat(proc.memInfo().totalBytes()).hasValue(24608980L * 1024);
    assertThat(proc.cpuTimes().values()).first().matches(CpuTimes::isTotal);
    assertThat(proc.loadAvg()).map(LoadAvg::tasks).contains(185);
    assertThat(proc.uptime()).map(Uptime::uptimeSeconds).contains(490.18);
    assertThat(proc.diskStats().values()).hasSize(3);
    assertThat(proc.netDev().values()).extracting(NetDevStats::iface).containsExactly("lo", "eth0", "docker0");
  }

  @Test
  void aWrongRootSaysSo() {
    ProcFs wrong = new ProcFs(root.resolve("nope"));
    assertThatThrownBy(wrong::memInfo).isInstanceOf(UncheckedIOException.class).hasMessageContaining("proc root");
    assertThatThrownBy(wrong::pids).isInstanceOf(UncheckedIOException.class);
  }
}
