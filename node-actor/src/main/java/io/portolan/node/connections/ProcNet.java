package io.portolan.node.connections;

import io.portolan.node.parse.Parsed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads socket tables and conntrack below a configurable proc root ({@code /host/proc} in a DaemonSet).
 * {@code <root>/net} is {@code self/net}, the reader's own network namespace (the host's only with
 * {@code hostNetwork: true}); a container's sockets are read through one of its pids instead.
 * Blocking file I/O: call it from a blocking dispatcher.
 */
public final class ProcNet {

  private final Path root;

  public ProcNet(Path procRoot) {
    this.root = procRoot;
  }

  /** The table in the reader's network namespace; throws UncheckedIOException if it cannot be read. */
  public Parsed<NetSocket> sockets(NetSocket.Protocol protocol) {
    Path p = root.resolve("net").resolve(protocol.file);
    try {
      return NetSocket.parse(protocol, read(p));
    } catch (NoSuchFileException e) {
      // e.g. tcp6/udp6 on a kernel booted with ipv6.disable=1
      return Parsed.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  /** The table in {@code pid}'s network namespace; empty if the process is gone or unreadable. */
  public Optional<Parsed<NetSocket>> sockets(int pid, NetSocket.Protocol protocol) {
    try {
      return Optional.of(NetSocket.parse(protocol,
          read(root.resolve(Integer.toString(pid)).resolve("net").resolve(protocol.file))));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code net/nf_conntrack}; empty when this kernel does not expose it (then use {@code conntrack -L}). */
  public Optional<Parsed<ConntrackFlow>> conntrack() {
    Path p = root.resolve("net").resolve("nf_conntrack");
    try {
      return Optional.of(ConntrackFlow.parse(read(p)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String read(Path p) throws IOException {
    return new String(Files.readAllBytes(p), StandardCharsets.US_ASCII);
  }
}
