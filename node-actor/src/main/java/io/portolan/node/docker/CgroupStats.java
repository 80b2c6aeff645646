package io.portolan.node.docker;

import io.portolan.node.parse.Lines;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Container stats straight from the kernel, as cAdvisor reads them: the container's cgroup (found
 * through {@code /proc/<pid>/cgroup} of its main process) for CPU, memory, pids and block I/O, and
 * {@code /proc/<pid>/net/dev} for the network. A handful of small file reads per container, against
 * about 1 ms of agent CPU (HTTP + JSON) and up to 1 s of engine wait for each one-shot Engine stats
 * call; the collector falls back to the Engine when these files cannot be read. cgroup v1 and v2.
 * Memory is usage minus inactive file cache, as {@code docker stats} shows it.
 */
public final class CgroupStats {

  private static final long UNLIMITED = 1L << 60;
  private final Path procRoot;
  private final Path cgroupRoot;
  private final int cores = Runtime.getRuntime().availableProcessors();
  /** A container's main pid keeps its cgroup for life; a pid reused by another container fails the reads and is re-read. */
  private final Map<Integer, Map<String, String>> cgroupPaths = new java.util.concurrent.ConcurrentHashMap<>();

  public CgroupStats(Path procRoot, Path cgroupRoot) {
    this.procRoot = procRoot;
    this.cgroupRoot = cgroupRoot;
  }

  /** {@code <proc>/1/root/sys/fs/cgroup} when readable (the host's, from a container with hostPID), else /sys/fs/cgroup. */
  public static Path defaultRoot(Path procRoot) {
    Path viaInit = procRoot.resolve("1/root/sys/fs/cgroup");
    try {
      if (Files.isDirectory(viaInit) && Files.list(viaInit).findAny().isPresent()) {
        return viaInit;
      }
    } catch (IOException | SecurityException e) {
      // not readable: use ours
    }
    return Path.of("/sys/fs/cgroup");
  }

  public Optional<DockerPort.ContainerStats> read(int pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    try {
      Map<String, String> paths = cgroupPaths.get(pid);
      if (paths == null) {
        paths = new HashMap<>();
        for (String line : read(procRoot.resolve(pid + "/cgroup")).split("\n")) {
          String[] f = line.split(":", 3);
          if (f.length == 3) {
            for (String controller : f[1].split(",")) {
              paths.put(controller, f[2]);
            }
          }
        }
        if (cgroupPaths.size() > 4096) {
          cgroupPaths.clear();
        }
        cgroupPaths.put(pid, paths);
      }
      long now = System.currentTimeMillis();
      long cpu;
      long mem;
      long limit;
      long pids;
      long[] io;
      if (paths.containsKey("cpuacct") && paths.containsKey("memory")) {
        Path cpuDir = dir("cpuacct", paths.get("cpuacct"));
        Path memDir = dir("memory", paths.get("memory"));
        cpu = Long.parseLong(read(cpuDir.resolve("cpuacct.usage")).strip());
        long inactive = valueOf(read(memDir.resolve("memory.stat")), "total_inactive_file");
        mem = Long.parseLong(read(memDir.resolve("memory.usage_in_bytes")).strip()) - inactive;
        limit = Long.parseLong(read(memDir.resolve("memory.limit_in_bytes")).strip());
        pids = paths.containsKey("pids") ? readLong(dir("pids", paths.get("pids")).resolve("pids.current")) : 0;
        io = paths.containsKey("blkio") ? blkioV1(dir("blkio", paths.get("blkio"))) : new long[2];
      } else if (paths.containsKey("")) {
        Path d = cgroupRoot.resolve(paths.get("").substring(1));
        cpu = valueOf(read(d.resolve("cpu.stat")), "usage_usec") * 1000;
        mem = Long.parseLong(read(d.resolve("memory.current")).strip())
            - valueOf(read(d.resolve("memory.stat")), "inactive_file");
        String max = read(d.resolve("memory.max")).strip();
        limit = max.equals("max") ? 0 : Long.parseLong(max);
        pids = readLong(d.resolve("pids.current"));
        io = ioV2(d);
      } else {
        return Optional.empty();
      }
      long rx = 0;
      long tx = 0;
      for (String line : read(procRoot.resolve(pid + "/net/dev")).split("\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && !line.substring(0, colon).strip().equals("lo")) {
          String[] f = Lines.fields(line.substring(colon + 1));
          if (f.length >= 9) {
            rx += Long.parseLong(f[0]);
            tx += Long.parseLong(f[8]);
          }
        }
      }
      // "system" CPU: elapsed wall time on all cores, so ContainerMetrics' engine formula gives % of one core.
      long wallAllCores = System.nanoTime() * cores;
      return Optional.of(new DockerPort.ContainerStats(cpu, wallAllCores, cores, Math.max(0, mem),
          limit >= UNLIMITED ? 0 : limit, rx, tx, io[0], io[1], pids, now));
    } catch (IOException | RuntimeException e) {
      cgroupPaths.remove(pid);
      return Optional.empty(); // gone, another cgroup layout, or not readable: the caller asks the engine
    }
  }

  private Path dir(String controller, String path) {
    return cgroupRoot.resolve(controller).resolve(path.substring(1));
  }

  private long[] blkioV1(Path d) throws IOException {
    long[] rw = new long[2];
    Path f = d.resolve("blkio.throttle.io_service_bytes");
    for (String line : read(f).split("\n")) {
      String[] p = line.strip().split(" ");
      if (p.length == 3) {
        if (p[1].equals("Read")) {
          rw[0] += Long.parseLong(p[2]);
        } else if (p[1].equals("Write")) {
          rw[1] += Long.parseLong(p[2]);
        }
      }
    }
    return rw;
  }

  private long[] ioV2(Path d) throws IOException {
    long[] rw = new long[2];
    Path f = d.resolve("io.stat");
    if (!Files.exists(f)) {
      return rw;
    }
    for (String line : read(f).split("\n")) {
      for (String kv : line.split(" ")) {
        if (kv.startsWith("rbytes=")) {
          rw[0] += Long.parseLong(kv.substring(7));
        } else if (kv.startsWith("wbytes=")) {
          rw[1] += Long.parseLong(kv.substring(7));
        }
      }
    }
    return rw;
  }

  /**
   * The value of the line {@code key value} in a flat-keyed cgroup file (memory.stat, cpu.stat); 0 when
   * the key is missing or its value is not a number. Looks the one key up in place: memory.stat has ~35
   * lines, and splitting it into a map for every container on every pass was the collector's largest
   * allocation site.
   */
  static long valueOf(String content, String key) {
    int from = 0;
    while (true) {
      int at = content.indexOf(key, from);
      if (at < 0) {
        return 0;
      }
      int end = at + key.length();
      if ((at == 0 || content.charAt(at - 1) == '\n') && end < content.length() && content.charAt(end) == ' ') {
        int eol = content.indexOf('\n', end);
        try {
          return Long.parseLong(content.substring(end + 1, eol < 0 ? content.length() : eol).strip());
        } catch (NumberFormatException e) {
          return 0;
        }
      }
      from = end;
    }
  }

  private long readLong(Path p) throws IOException {
    return Long.parseLong(read(p).strip());
  }

  /**
   * The file's text. cgroup files and {@code /proc/<pid>/net/dev} stay open between passes and are read
   * again with a positional read at offset 0 (the kernel regenerates them), one system call instead of
   * open + read + close; at most {@link #MAX_OPEN} stay open, beyond that a file is opened per read.
   * A failed read (cgroup removed, process gone) closes the file; {@link #endPass} closes the files a
   * pass did not read (containers that went away).
   */
  private String read(Path p) throws IOException {
    touched.add(p);
    FileChannel ch = open.get(p);
    boolean keep = ch != null;
    ByteBuffer buf = BUFFER.get();
    buf.clear();
    try {
      if (ch == null) {
        ch = FileChannel.open(p, StandardOpenOption.READ);
        keep = open.size() < MAX_OPEN;
        if (keep) {
          open.put(p, ch);
        }
      }
      long pos = 0;
      int n;
      while (buf.hasRemaining() && (n = ch.read(buf, pos)) > 0) {
        pos += n;
      }
    } catch (IOException | RuntimeException e) {
      FileChannel old = open.remove(p);
      closeQuietly(old);
      if (!keep) {
        closeQuietly(ch);
      }
      throw e instanceof IOException io ? io : new IOException(e);
    }
    if (!keep) {
      closeQuietly(ch);
    }
    if (!buf.hasRemaining()) {
      return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1); // larger than the buffer
    }
    buf.flip();
    byte[] bytes = new byte[buf.remaining()];
    buf.get(bytes);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Call after the reads of one pass: closes the kept-open files that the pass did not read. */
  public void endPass() {
    open.entrySet().removeIf(e -> {
      if (touched.contains(e.getKey())) {
        return false;
      }
      closeQuietly(e.getValue());
      return true;
    });
    touched.clear();
  }

  /** Files kept open between passes. */
  public int openFiles() {
    return open.size();
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }

  static final int MAX_OPEN = 2048;
  /** memory.stat is the largest file read (~1 KB on v1, ~1.5 KB on v2). */
  private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(16 * 1024));
  private final Map<Path, FileChannel> open = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Set<Path> touched = java.util.concurrent.ConcurrentHashMap.newKeySet();
}
