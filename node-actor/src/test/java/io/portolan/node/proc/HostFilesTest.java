package io.portolan.node.proc;

import static io.portolan.node.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.node.parse.Parsed;
import org.junit.jupiter.api.Test;

class HostFilesTest {

  @Test
  void cpuLinesOfProcStat() {
    Parsed<CpuTimes> cpu = CpuTimes.parse(text("proc/host/stat"));
    assertThat(cpu.values()).containsExactly(
        new CpuTimes("cpu", 25864, 0, 4617, 66174, 382, 0, 90, 86, 0, 0),
        new CpuTimes("cpu0", 12493, 0, 1980, 34035, 44, 0, 11, 40, 0, 0),
        new CpuTimes("cpu1", 13370, 0, 2636, 32139, 337, 0, 79, 46, 0, 0),
        new CpuTimes("cpu3", 10, 20, 30, 40, 0, 0, 0, 0, 0, 0));
    assertThat(cpu.skipped()).isEqualTo(2); // "cpu2 1 2 3" and "cpux ..."
    CpuTimes total = cpu.values().get(0);
    assertThat(total.isTotal()).isTrue();
    assertThat(total.busy()).isEqualTo(25864 + 4617 + 90 + 86);
    assertThat(total.total()).isEqualTo(25864 + 4617 + 90 + 86 + 66174 + 382);
  }

  @Test
  void meminfoInBytesWithCountsKept() {
    MemInfo m = MemInfo.parse(text("proc/host/meminfo"));
    assertThat(m.totalBytes()).hasValue(24608980L * 1024);
    assertThat(m.availableBytes()).hasValue(22000000L * 1024);
    assertThat(m.get("HugePages_Total")).hasValue(0);
    assertThat(m.get("Hugepagesize")).hasValue(2048L * 1024);
    assertThat(m.values()).hasSize(7);
    assertThat(m.skipped()).isEqualTo(2); // "BrokenLine", "Dirty: abc kB"
  }

  @Test
  void loadavg() {
    assertThat(LoadAvg.parse(text("proc/host/loadavg"))).contains(new LoadAvg(2.80, 1.33, 0.55, 3, 185, 10171));
    assertThat(LoadAvg.parse(text("proc/host/loadavg-truncated"))).isEmpty();
    assertThat(LoadAvg.parse("1 2 3 x/5 6")).isEmpty();
  }

  @Test
  void uptime() {
    assertThat(Uptime.parse(text("proc/host/uptime"))).contains(new Uptime(490.18, 661.74));
    assertThat(Uptime.parse(text("proc/host/uptime-truncated"))).isEmpty();
  }

  @Test
  void netDevIncludingCountersGluedToTheColon() {
    Parsed<NetDevStats> dev = NetDevStats.parse(text("proc/host/net-dev"));
    assertThat(dev.values()).containsExactly(
        new NetDevStats("lo", 30347, 394, 0, 0, 30347, 394, 0, 0),
        new NetDevStats("eth0", 123456789, 98765, 1, 2, 87654321, 54321, 3, 4),
        new NetDevStats("docker0", 5000, 10, 0, 0, 7000, 30, 0, 0));
    assertThat(dev.skipped()).isEqualTo(2); // eth1 truncated, eth2 non-numeric
  }

  @Test
  void diskstatsOfAllThreeKernelFormats() {
    Parsed<DiskStats> disks = DiskStats.parse(text("proc/host/diskstats"));
    assertThat(disks.values()).containsExactly(
        new DiskStats(7, 0, "loop0", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        new DiskStats(259, 0, "nvme0n1", 12345, 678, 987654, 4321, 23456, 789, 1234567, 8765, 0, 9876, 13086),
        new DiskStats(259, 1, "nvme0n1p1", 100, 0, 2048, 50, 0, 0, 0, 0, 0, 60, 50));
    assertThat(disks.skipped()).isEqualTo(2); // sda truncated, sda1 non-numeric
  }

  @Test
  void emptyInputIsEmptyNotAnError() {
    assertThat(CpuTimes.parse("")).isEqualTo(Parsed.empty());
    assertThat(NetDevStats.parse("")).isEqualTo(Parsed.empty());
    assertThat(DiskStats.parse("")).isEqualTo(Parsed.empty());
    assertThat(MemInfo.parse("").values()).isEmpty();
  }
}
