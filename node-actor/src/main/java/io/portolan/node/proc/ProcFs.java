package io.portolan.node.proc;

import io.portolan.node.parse.Parsed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads {@code /proc} below a configurable root: {@code /proc} on the host itself, {@code /host/proc}
 * in a DaemonSet that mounts the host's. Blocking file I/O: call it from a blocking dispatcher.
 *
 * <p>Per-process reads return empty when the process is gone, unreadable (another user's fd/ without
 * root) or its file is malformed: processes come and go between listing and reading, and that is
 * normal. Host-wide reads throw {@link UncheckedIOException} when the file is missing, since that means
 * the root is wrong; malformed lines inside them are skipped and counted.
 */
public final class ProcFs {

  private final Path root;

  public ProcFs(Path procRoot) {
    this.root = procRoot;
  }

  public Path root() {
    return root;
  }

  /** Numeric entries of the root, i.e. processes (thread-group leaders), in directory order. */
  public List<Integer> pids() {
    // Every pass (~700 processes and ~60 other entries): names only, no Path per entry.
    String[] names = root.toFile().list();
    if (names == null) {
      throw new UncheckedIOException("cannot list " + root, new IOException("not a readable directory"));
    }
    List<Integer> pids = new ArrayList<>(names.length);
    for (String name : names) {
      int pid = pidOf(name);
      if (pid > 0) {
        pids.add(pid);
      }
    }
    return List.copyOf(pids);
  }

  /** The pid an entry of /proc names, or -1 when it is not all digits or more than an int. */
  static int pidOf(String name) {
    if (name.isEmpty() || name.length() > 10) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  public Optional<PidStat> stat(int pid) {
    return readPid(pid, "stat").flatMap(PidStat::parse);
  }

  public Optional<PidStatus> status(int pid) {
    return readPid(pid, "status").flatMap(PidStatus::parse);
  }

  public Optional<List<String>> cmdline(int pid) {
    try {
      return Optional.of(Cmdline.parse(Files.readAllBytes(pidDir(pid).resolve("cmdline"))));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Empty when the process is not in a container (or is gone). */
  public Optional<String> containerId(int pid) {
    return readPid(pid, "cgroup").flatMap(CgroupContainerId::parse);
  }

  /** Reads every {@code fd/} symlink; needs the same uid or CAP_SYS_PTRACE (root in the DaemonSet). */
  public Optional<FdSummary> fds(int pid) {
    int count = 0;
    Set<Long> sockets = new HashSet<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(pidDir(pid).resolve("fd"))) {
      for (Path fd : dir) {
        count++;
        try {
          OptionalLong inode = FdSummary.socketInode(Files.readSymbolicLink(fd).toString());
          inode.ifPresent(sockets::add);
        } catch (IOException e) {
          // closed between listing and reading: still counted, it was open a moment ago
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(new FdSummary(count, sockets));
  }

  /** All cpu lines of {@code /proc/stat}; the one named "cpu" is the machine total. */
  public Parsed<CpuTimes> cpuTimes() {
    return CpuTimes.parse(readHost("stat"));
  }

  public MemInfo memInfo() {
    return MemInfo.parse(readHost("meminfo"));
  }

  public Optional<LoadAvg> loadAvg() {
    return LoadAvg.parse(readHost("loadavg"));
  }

  public Optional<Uptime> uptime() {
    return Uptime.parse(readHost("uptime"));
  }

  /**
   * {@code <root>/net/dev} is a symlink to {@code self/net}: the reading process's network namespace,
   * which is the host's only with {@code hostNetwork: true}. Use {@link #netDev(int)} with a pid
   * inside the namespace you mean otherwise.
   */
  public Parsed<NetDevStats> netDev() {
    return NetDevStats.parse(readHost("net/dev"));
  }

  /** The interfaces seen from {@code pid}'s network namespace (e.g. a container's eth0). */
  public Optional<Parsed<NetDevStats>> netDev(int pid) {
    return readPid(pid, "net/dev").map(NetDevStats::parse);
  }

  public Parsed<DiskStats> diskStats() {
    return DiskStats.parse(readHost("diskstats"));
  }

  private Path pidDir(int pid) {
    return root.resolve(Integer.toString(pid));
  }

  private Optional<String> readPid(int pid, String file) {
    try {
      return Optional.of(decode(Files.readAllBytes(pidDir(pid).resolve(file))));
    } catch (IOException e) {
      // NoSuchFile (gone), AccessDenied, or ESRCH ("No such process") mid-read.
      return Optional.empty();
    }
  }

  /** Lenient: a comm with invalid UTF-8 must not hide the process (Files.readString would throw). */
  private static String decode(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private String readHost(String file) {
    Path p = root.resolve(file);
    try {
      return decode(Files.readAllBytes(p));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + " (is the proc root " + root + " right?)", e);
    }
  }
}
