package io.portolan.node.connections;

import io.portolan.node.proc.FdSummary;
import java.util.List;
import java.util.Optional;

/** Sockets, namespaces and descriptors from /proc. Blocking file I/O: call on the blocking dispatcher. */
public interface SocketPort {

  List<Integer> pids();

  /** The network namespace of {@code pid} ({@code net:[4026531993]}); empty when gone or unreadable. */
  Optional<String> netns(int pid);

  Optional<FdSummary> fds(int pid);

  /** tcp, tcp6, udp and udp6 of {@code pid}'s network namespace. */
  Optional<List<NetSocket>> sockets(int pid);

  /** The container of {@code pid} from its cgroup; empty for host processes. */
  Optional<String> containerId(int pid);
}
