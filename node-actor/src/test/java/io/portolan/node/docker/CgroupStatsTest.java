package io.portolan.node.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cgroup v2 stats from a file tree; files stay open between passes and are closed when their container goes. */
class CgroupStatsTest {

  @Test
  void readsV2FilesKeepsThemOpenAndSeesNewValues(@TempDir Path dir) throws Exception {
    Path proc = dir.resolve("proc");
    Path cg = dir.resolve("cgroup");
    Path c = cg.resolve("system.slice/docker-abc.scope");
    Files.createDirectories(proc.resolve("42/net"));
    Files.createDirectories(c);
    Files.writeString(proc.resolve("42/cgroup"), "0::/system.slice/docker-abc.scope\n");
    Files.writeString(proc.resolve("42/net/dev"), "Inter-|   Receive\n face |bytes\n"
        + "    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n"
        + "  eth0: 5000 10 0 0 0 0 0 0 7000 12 0 0 0 0 0 0\n");
    Files.writeString(c.resolve("cpu.stat"), "usage_usec 1000\nuser_usec 600\nsystem_usec 400\n");
    Files.writeString(c.resolve("memory.current"), "10485760\n");
    Files.writeString(c.resolve("memory.stat"), "anon 100\ninactive_file 1048576\n");
    Files.writeString(c.resolve("memory.max"), "max\n");
    Files.writeString(c.resolve("pids.current"), "3\n");
    Files.writeString(c.resolve("io.stat"), "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2\n");

    CgroupStats stats = new CgroupStats(proc, cg);
    DockerPort.ContainerStats first = stats.read(42).orElseThrow();
    assertThat(first.cpuTotalNanos()).isEqualTo(1_000_000);
    assertThat(first.memoryUsageBytes()).isEqualTo(10485760 - 1048576);
    assertThat(first.pids()).isEqualTo(3);
    stats.endPass();
    int open = stats.openFiles();
    assertThat(open).isGreaterThanOrEqualTo(7);

    Files.writeString(c.resolve("cpu.stat"), "usage_usec 2500\n"); // same file, new content
    DockerPort.ContainerStats second = stats.read(42).orElseThrow();
    assertThat(second.cpuTotalNanos()).isEqualTo(2_500_000);
    stats.endPass();
    // the same files again, except /proc/42/cgroup: read once (the paths are remembered), closed now
    assertThat(stats.openFiles()).isEqualTo(open - 1);

    stats.endPass(); // a pass without this container: its files are closed
    assertThat(stats.openFiles()).isZero();

    Files.delete(c.resolve("cpu.stat"));
    assertThat(stats.read(42)).isEmpty(); // unreadable: the collector asks the engine instead
    assertThat(stats.read(7)).isEmpty(); // no such pid
  }
}
