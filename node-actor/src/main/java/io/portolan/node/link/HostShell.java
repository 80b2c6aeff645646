package io.portolan.node.link;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A shell on the agent's host with a pseudo-terminal, for host exec. Java cannot open a pty, so the
 * shell runs under util-linux {@code script -q -f -e -c <cmd> /dev/null}, which allocates one; a
 * resize sets the pty's size with {@code stty -F <pty>} (the kernel then signals SIGWINCH). In a
 * container-deployed agent this is the agent container's shell unless the agent runs with the
 * host's pid and mount namespaces.
 */
final class HostShell implements Closeable {

  private final Process process;

  private HostShell(Process process) {
    this.process = process;
  }

  static HostShell start(String cmd, int cols, int rows) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(List.of("script", "-q", "-f", "-e", "-c", cmd, "/dev/null"))
        .redirectErrorStream(true);
    pb.environment().put("TERM", "xterm-256color");
    if (cols > 0 && rows > 0) {
      pb.environment().put("COLUMNS", Integer.toString(cols));
      pb.environment().put("LINES", Integer.toString(rows));
    }
    HostShell shell = new HostShell(pb.start());
    if (cols > 0 && rows > 0) {
      new Thread(() -> {
        for (int i = 0; i < 20 && shell.pty() == null; i++) {
          sleep(50);
        }
        shell.resize(cols, rows);
      }, "portolan-host-shell-resize").start();
    }
    return shell;
  }

  InputStream stdout() {
    return process.getInputStream();
  }

  OutputStream stdin() {
    return process.getOutputStream();
  }

  int exitCode() throws InterruptedException {
    return process.waitFor();
  }

  /** The pty of the shell (script's child): its stdin link under /proc. */
  private String pty() {
    return process.children().findFirst().map(child -> {
      try {
        String target = Files.readSymbolicLink(Path.of("/proc", Long.toString(child.pid()), "fd", "0")).toString();
        return target.startsWith("/dev/pts/") ? target : null;
      } catch (IOException | UnsupportedOperationException e) {
        return null;
      }
    }).orElse(null);
  }

  void resize(int cols, int rows) {
    String pty = pty();
    if (pty == null) {
      return;
    }
    try {
      new ProcessBuilder("stty", "-F", pty, "cols", Integer.toString(cols), "rows", Integer.toString(rows))
          .redirectErrorStream(true).start().waitFor(2, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no stty: the size stays
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
