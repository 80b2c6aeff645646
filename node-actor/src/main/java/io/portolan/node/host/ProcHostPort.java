package io.portolan.node.host;

import io.portolan.node.proc.CpuTimes;
import io.portolan.node.proc.DiskStats;
import io.portolan.node.proc.LoadAvg;
import io.portolan.node.proc.MemInfo;
import io.portolan.node.proc.NetDevStats;
import io.portolan.node.proc.ProcFs;
import io.portolan.protocol.Payload;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@link HostPort} on {@code /proc} below the configured root. The host's network namespace is read
 * through pid 1 ({@code <root>/1/net/dev}), so the agent sees the host's interfaces even when it runs
 * in a container with the host's /proc mounted; file systems are measured through {@code <root>/1/root}.
 * Interface addresses come from the JVM, i.e. the agent's own network namespace (hostNetwork in k8s).
 */
public final class ProcHostPort implements HostPort {

  /** Whole disks, not partitions (sda but not sda1, nvme0n1 but not nvme0n1p1), so bytes count once. */
  static final Pattern WHOLE_DISK = Pattern.compile("(sd|vd|xvd|hd)[a-z]+|nvme\\d+n\\d+|mmcblk\\d+");
  /** Virtual interfaces whose traffic is also counted on a real one. */
  static final Pattern VIRTUAL_IFACE = Pattern.compile("lo|veth.*|docker.*|br-.*|cni.*|flannel.*|cali.*|vxlan.*|tunl.*|kube-.*|virbr.*");
  static final Set<String> REAL_FS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "vfat", "ntfs", "f2fs", "overlay");

  private final ProcFs proc;
  private final Path root;

  public ProcHostPort(Path procRoot) {
    this.root = procRoot;
    this.proc = new ProcFs(procRoot);
  }

  @Override
  public Payload.Host facts() {
    List<CpuTimes> cpus = proc.cpuTimes().values();
    int cores = (int) cpus.stream().filter(c -> !c.isTotal()).count();
    MemInfo mem = proc.memInfo();
    LoadAvg load = proc.loadAvg().orElse(new LoadAvg(0, 0, 0, 0, 0, 0));
    long uptime = proc.uptime().map(u -> (long) u.uptimeSeconds()).orElse(0L);
    return new Payload.Host(
        read(root.resolve("sys/kernel/hostname"), "unknown"),
        interfaces(),
        osName(),
        read(root.resolve("sys/kernel/osrelease"), System.getProperty("os.version")),
        System.getProperty("os.arch"),
        cores > 0 ? cores : Runtime.getRuntime().availableProcessors(),
        mem.totalBytes().orElse(0),
        mounts(),
        load.one(), load.five(), load.fifteen(),
        uptime);
  }

  @Override
  public Counters counters() {
    CpuTimes total = proc.cpuTimes().values().stream().filter(CpuTimes::isTotal).findFirst()
        .orElse(new CpuTimes("cpu", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    MemInfo mem = proc.memInfo();
    long rx = 0;
    long tx = 0;
    for (NetDevStats n : proc.netDev(1).orElseGet(proc::netDev).values()) {
      if (!VIRTUAL_IFACE.matcher(n.iface()).matches()) {
        rx += n.rxBytes();
        tx += n.txBytes();
      }
    }
    long read = 0;
    long write = 0;
    for (DiskStats d : proc.diskStats().values()) {
      if (WHOLE_DISK.matcher(d.device()).matches()) {
        read += d.sectorsRead() * 512;
        write += d.sectorsWritten() * 512;
      }
    }
    return new Counters(System.currentTimeMillis(), total.busy(), total.total(), mem.totalBytes().orElse(0),
        mem.availableBytes().orElse(0), rx, tx, read, write, proc.loadAvg().map(LoadAvg::one).orElse(0.0));
  }

  private String osName() {
    for (Path p : List.of(root.resolve("1/root/etc/os-release"), Path.of("/etc/os-release"))) {
      try {
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
          if (line.startsWith("PRETTY_NAME=")) {
            return line.substring("PRETTY_NAME=".length()).replace("\"", "");
          }
        }
      } catch (IOException | SecurityException e) {
        // try the next one
      }
    }
    return System.getProperty("os.name");
  }

  private static List<Payload.NetInterface> interfaces() {
    List<Payload.NetInterface> out = new ArrayList<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        List<String> addrs = new ArrayList<>();
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          String s = a.getHostAddress();
          int pct = s.indexOf('%');
          addrs.add(pct < 0 ? s : s.substring(0, pct));
        }
        out.add(new Payload.NetInterface(ni.getName(), addrs));
      }
    } catch (SocketException e) {
      // no interfaces readable: report none
    }
    out.sort((a, b) -> a.name().compareTo(b.name()));
    return out;
  }

  private List<Payload.Mount> mounts() {
    Path mountsFile = Files.isReadable(root.resolve("1/mounts")) ? root.resolve("1/mounts") : root.resolve("self/mounts");
    Path fsRoot = Files.isDirectory(root.resolve("1/root")) ? root.resolve("1/root") : Path.of("/");
    List<Payload.Mount> out = new ArrayList<>();
    Set<String> seenDevices = new HashSet<>();
    try {
      for (String line : Files.readAllLines(mountsFile, StandardCharsets.UTF_8)) {
        String[] f = line.split(" ");
        if (f.length < 3 || !REAL_FS.contains(f[2]) || !seenDevices.add(f[0])) {
          continue;
        }
        String mountPoint = f[1].replace("\\040", " ");
        File dir = fsRoot.resolve(mountPoint.substring(1)).toFile();
        long total = dir.getTotalSpace();
        long free = dir.getFreeSpace();
        if (total > 0) {
          out.add(new Payload.Mount(mountPoint, f[0], f[2], total, total - free));
        }
      }
    } catch (IOException | RuntimeException e) {
      // mounts unreadable: report none
    }
    return out;
  }

  private static String read(Path p, String fallback) {
    try {
      return Files.readString(p).strip();
    } catch (IOException e) {
      return fallback;
    }
  }
}
