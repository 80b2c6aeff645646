package io.portolan.node.proc;

import java.io.FileInputStream;
import java.io.IOException;
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
   * The hot path (every process, every scan): one open/read/close into a reused per-thread buffer, and a
   * plain string path, instead of {@code Files.readAllBytes} (which also stats the file and allocates a
   * channel and a right-sized array each time).
   */
  @Override
  public Optional<PidStat> stat(int pid) {
    byte[] buf = BUFFER.get();
    int n = 0;
    try (FileInputStream in = new FileInputStream(rootPrefix + pid + "/stat")) {
      int r;
      while (n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0) {
        n += r;
      }
    } catch (IOException e) {
      return Optional.empty(); // gone, or not readable
    }
    return PidStat.parse(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
  }

  private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[2048]);

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
