package io.portolan.node.connections;

import io.portolan.node.proc.FdSummary;
import io.portolan.node.proc.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link SocketPort} on {@link ProcFs} and {@link ProcNet}. */
public final class ProcSocketPort implements SocketPort {

  private final Path root;
  private final ProcFs proc;
  private final ProcNet net;

  public ProcSocketPort(Path procRoot) {
    this.root = procRoot;
    this.proc = new ProcFs(procRoot);
    this.net = new ProcNet(procRoot);
  }

  @Override
  public List<Integer> pids() {
    return proc.pids();
  }

  @Override
  public Optional<String> netns(int pid) {
    try {
      return Optional.of(Files.readSymbolicLink(root.resolve(Integer.toString(pid)).resolve("ns/net")).toString());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<FdSummary> fds(int pid) {
    return proc.fds(pid);
  }

  @Override
  public Optional<List<NetSocket>> sockets(int pid) {
    List<NetSocket> all = new ArrayList<>();
    boolean any = false;
    for (NetSocket.Protocol p : NetSocket.Protocol.values()) {
      var parsed = net.sockets(pid, p);
      if (parsed.isPresent()) {
        any = true;
        all.addAll(parsed.get().values());
      }
    }
    return any ? Optional.of(all) : Optional.empty();
  }

  @Override
  public Optional<String> containerId(int pid) {
    return proc.containerId(pid);
  }
}
