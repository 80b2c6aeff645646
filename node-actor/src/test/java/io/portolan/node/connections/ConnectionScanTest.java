package io.portolan.node.connections;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.node.proc.FdSummary;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Socket tables are read again only for namespaces whose socket inodes changed, and all of them every 10th pass. */
class ConnectionScanTest {

  static final class FakeSockets implements SocketPort {
    final Map<Integer, String> ns = new HashMap<>();
    final Map<Integer, Set<Long>> inodes = new HashMap<>();
    final List<Integer> tableReads = new ArrayList<>();

    @Override
    public List<Integer> pids() {
      return List.copyOf(ns.keySet());
    }

    @Override
    public Optional<String> netns(int pid) {
      return Optional.ofNullable(ns.get(pid));
    }

    @Override
    public Optional<FdSummary> fds(int pid) {
      return Optional.of(new FdSummary(inodes.getOrDefault(pid, Set.of()).size(), inodes.getOrDefault(pid, Set.of())));
    }

    @Override
    public Optional<List<NetSocket>> sockets(int pid) {
      tableReads.add(pid);
      return Optional.of(List.of(new NetSocket(NetSocket.Protocol.TCP, InetAddress.getLoopbackAddress(), 8000 + pid,
          InetAddress.getLoopbackAddress(), 0, NetSocket.State.LISTEN, 0, 100 + pid)));
    }

    @Override
    public Optional<String> containerId(int pid) {
      return Optional.of("c" + pid);
    }
  }

  @Test
  void unchangedNamespacesKeepTheirTablesUntilTheTenthPass() {
    FakeSockets port = new FakeSockets();
    port.ns.put(1, "net:[1]");
    port.inodes.put(1, Set.of(101L));
    port.ns.put(2, "net:[2]");
    port.inodes.put(2, Set.of(102L));
    ConnectionScan.Result r = ConnectionScan.scan(port, "h", Map.of(), null, 0);
    assertThat(port.tableReads).containsExactlyInAnyOrder(1, 2);
    assertThat(r.namespaces()).containsOnlyKeys("net:[1]", "net:[2]");

    port.tableReads.clear();
    r = ConnectionScan.scan(port, "h", r.containerCache(), r, 1);
    assertThat(port.tableReads).isEmpty();
    assertThat(r.tablesRead()).isZero();
    assertThat(r.namespaces().get("net:[2]").sockets()).hasSize(1); // kept from the pass before

    port.inodes.put(2, Set.of(102L, 202L)); // a new socket in namespace 2
    r = ConnectionScan.scan(port, "h", r.containerCache(), r, 2);
    assertThat(port.tableReads).containsExactly(2);

    port.tableReads.clear();
    while (r.pass() % ConnectionScan.FULL_EVERY != ConnectionScan.FULL_EVERY - 1) {
      r = ConnectionScan.scan(port, "h", r.containerCache(), r, 3);
    }
    assertThat(port.tableReads).isEmpty();
    r = ConnectionScan.scan(port, "h", r.containerCache(), r, 4);
    assertThat(port.tableReads).containsExactlyInAnyOrder(1, 2);
  }
}
