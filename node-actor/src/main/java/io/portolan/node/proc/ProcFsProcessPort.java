package io.portolan.node.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ProcessPort} on {@link ProcFs}. User names come from the host's {@code /etc/passwd}
 * (through {@code <root>/1/root} when readable), read once; a uid it lacks is shown as the number.
 * Page size 4096 and USER_HZ 100 are what Linux uses on x86-64 and arm64.
 */
public final class ProcFsProcessPort implements ProcessPort {

  private static final int MAX_CMDLINE = 1024;
  private final ProcFs proc;
  private final String rootPrefix;
  private final Map<Integer, String> users;

  public ProcFsProcessPort(Path procRoot) {
    this.proc = new ProcFs(procRoot);
    this.rootPrefix = procRoot.toString().endsWith("/") ? procRoot.toString() : procRoot + "/";
    this.users = passwd(procRoot);
  }

  @Override
  public List<Integer> pids() {
    return proc.pids();
  }

  /**
   * The hot path (every process, every pass). {@code /proc/<pid>/stat} stays open between passes and is
   * read again with a positional read at offset 0 (pread; the kernel regenerates the text), so a pass costs
   * one system call per process instead of open + read + close. At most {@link #MAX_OPEN} files are kept
   * open; beyond that a file is opened and closed per read. A pid whose read fails (gone: ESRCH) has its
   * file closed; a reused pid thus gets a fresh file.
   */
  @Override
  public Optional<PidStat> stat(int pid) {
    ByteBuffer buf = BUFFER.get();
    buf.clear();
    FileChannel ch = open.get(pid);
    boolean keep = ch != null;
    try {
      if (ch == null) {
        ch = FileChannel.open(Path.of(rootPrefix + pid + "/stat"), StandardOpenOption.READ);
        keep = open.size() < MAX_OPEN;
        if (keep) {
          open.put(pid, ch);
        }
      }
      int n;
      long pos = 0;
      while ((n = ch.read(buf, pos)) > 0 && buf.hasRemaining()) {
        pos += n;
      }
    } catch (IOException | RuntimeException e) {
      forget(pid);
      if (ch != null && !keep) {
        closeQuietly(ch);
      }
      return Optional.empty(); // gone, or not readable
    }
    if (!keep) {
      closeQuietly(ch);
    }
    buf.flip();
    byte[] bytes = ARRAY.get();
    int len = buf.remaining();
    buf.get(bytes, 0, len);
    return PidStat.parse(bytes, len);
  }

  /** Closes the kept-open files of pids not in {@code alive} (call after a pass with the pids it listed). */
  @Override
  public void retain(java.util.Set<Integer> alive) {
    open.entrySet().removeIf(e -> {
      if (alive.contains(e.getKey())) {
        return false;
      }
      closeQuietly(e.getValue());
      return true;
    });
  }

  /** Files kept open between passes (for tests and the benchmark's notes). */
  public int openFiles() {
    return open.size();
  }

  private void forget(int pid) {
    FileChannel old = open.remove(pid);
    if (old != null) {
      closeQuietly(old);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  static final int MAX_OPEN = 2048;
  private static final int STAT_MAX = 2048;
  /** Scans run on one thread at a time (one in flight per collector), but on any of the pool's threads. */
  private final Map<Integer, FileChannel> open = new java.util.concurrent.ConcurrentHashMap<>();
  private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(STAT_MAX));
  private static final ThreadLocal<byte[]> ARRAY = ThreadLocal.withInitial(() -> new byte[STAT_MAX]);

  @Override
  public Optional<Details> details(int pid) {
    Optional<PidStatus> status = proc.status(pid);
    if (status.isEmpty()) {
      return Optional.empty();
    }
    String cmd = String.join(" ", proc.cmdline(pid).orElse(List.of()));
    if (cmd.length() > MAX_CMDLINE) {
      cmd = cmd.substring(0, MAX_CMDLINE);
    }
    String cwd = "";
    try {
      cwd = Files.readSymbolicLink(proc.root().resolve(Integer.toString(pid)).resolve("cwd")).toString();
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // another user's process without CAP_SYS_PTRACE, or gone: cwd stays unknown
    }
    int uid = status.get().uid();
    return Optional.of(new Details(cmd, uid, users.getOrDefault(uid, Integer.toString(uid)), cwd,
        proc.containerId(pid).orElse("")));
  }

  @Override
  public long pageSize() {
    return 4096;
  }

  @Override
  public long ticksPerSecond() {
    return 100;
  }

  private static Map<Integer, String> passwd(Path procRoot) {
    for (Path p : List.of(procRoot.resolve("1/root/etc/passwd"), Path.of("/etc/passwd"))) {
      try {
        Map<Integer, String> m = new HashMap<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
          String[] f = line.split(":");
          if (f.length > 2) {
            try {
              m.putIfAbsent(Integer.parseInt(f[2]), f[0]);
            } catch (NumberFormatException e) {
              // skip the line
            }
          }
        }
        return Map.copyOf(m);
      } catch (IOException | SecurityException e) {
        // next
      }
    }
    return Map.of();
  }
}
