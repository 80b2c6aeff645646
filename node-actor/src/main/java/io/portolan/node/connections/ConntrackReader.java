package io.portolan.node.connections;

import io.portolan.node.parse.Parsed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link ConntrackPort} reading the host's table: {@code <root>/1/net/nf_conntrack} (pid 1's network
 * namespace, i.e. the host's even from a container with the host's /proc), then {@code <root>/net/nf_conntrack},
 * then the {@code conntrack -L -o extended} tool, as {@code mode} allows (auto, proc, tool, off).
 */
public final class ConntrackReader implements ConntrackPort {

  private final Path root;
  private final String mode;
  private final String tool;
  /** Per file: what its previous read parsed, so that only new lines are parsed again. */
  private final java.util.Map<Path, ConntrackTable> tables = new java.util.concurrent.ConcurrentHashMap<>();

  public ConntrackReader(Path procRoot, String mode) {
    this(procRoot, mode, "conntrack");
  }

  ConntrackReader(Path procRoot, String mode, String tool) {
    this.root = procRoot;
    this.mode = mode;
    this.tool = tool;
  }

  @Override
  public Flows flows() throws Unavailable {
    List<String> tried = new ArrayList<>();
    if (mode.equals("off")) {
      throw new Unavailable("conntrack is off (portolan.node.agent.conntrack = off)");
    }
    if (mode.equals("auto") || mode.equals("proc")) {
      for (Path base : List.of(root.resolve("1"), root)) {
        Path file = base.resolve("net/nf_conntrack");
        try {
          Parsed<ConntrackFlow> p = tables.computeIfAbsent(file, f -> new ConntrackTable()).read(file);
          return new Flows(file.toString(), p.values(), p.skipped());
        } catch (IOException | SecurityException e) {
          tried.add(file + " (missing or unreadable)");
        }
      }
    }
    if (mode.equals("auto") || mode.equals("tool")) {
      try {
        Process process = new ProcessBuilder(tool, "-L", "-o", "extended")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        byte[] out;
        try (InputStream in = process.getInputStream()) {
          out = in.readNBytes(64 * 1024 * 1024);
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          tried.add("`" + tool + " -L` (timed out)");
        } else if (process.exitValue() != 0) {
          tried.add("`" + tool + " -L` (exit " + process.exitValue() + ": needs CAP_NET_ADMIN)");
        } else {
          Parsed<ConntrackFlow> p = ConntrackFlow.parse(new String(out, StandardCharsets.US_ASCII));
          return new Flows("`" + tool + " -L -o extended`", p.values(), p.skipped());
        }
      } catch (IOException e) {
        tried.add("`" + tool + "` (not installed: apt-get install conntrack)");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        tried.add("`" + tool + "` (interrupted)");
      }
    }
    throw new Unavailable("no conntrack source; tried " + String.join(", ", tried)
        + ". NAT'd and short-lived connections will be missing; load nf_conntrack (CONFIG_NF_CONNTRACK_PROCFS)"
        + " or install conntrack-tools and run the agent with CAP_NET_ADMIN");
  }
}
