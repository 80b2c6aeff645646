package io.portolan.node.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portolan.node.proc.ProcFs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** /proc/net of this machine, joined to our own fd/ the way the agent will join them. */
class ProcNetLiveTest {

  @Test
  void ownListeningAndConnectedSocketsAreFoundAndJoinedByInode() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs a Linux /proc");
    ProcNet net = new ProcNet(Path.of("/proc"));
    ProcFs proc = new ProcFs(Path.of("/proc"));
    int self = (int) ProcessHandle.current().pid();
    InetAddress loopback = InetAddress.getByName("127.0.0.1");

    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(loopback, 0));
      int port = server.getLocalPort();
      try (Socket client = new Socket(loopback, port); Socket accepted = server.accept()) {
        var tcp = net.sockets(NetSocket.Protocol.TCP);
        var tcp6 = net.sockets(NetSocket.Protocol.TCP6);
        assertThat(tcp.skipped()).isZero();
        assertThat(tcp6.skipped()).isZero();
        var all = new java.util.ArrayList<>(tcp.values());
        all.addAll(tcp6.values()); // the JVM may open AF_INET6 sockets with v4-mapped addresses

        NetSocket listen = all.stream()
            .filter(s -> s.localPort() == port && s.state() == NetSocket.State.LISTEN)
            .findFirst().orElseThrow();
        assertThat(listen.localAddress()).isEqualTo(loopback);
        NetSocket connected = all.stream()
            .filter(s -> s.localPort() == client.getLocalPort() && s.remotePort() == port)
            .findFirst().orElseThrow();
        assertThat(connected.state()).isEqualTo(NetSocket.State.ESTABLISHED);

        var ourSockets = proc.fds(self).orElseThrow().socketInodes();
        assertThat(ourSockets).contains(listen.inode(), connected.inode());
      }
    }
  }

  @Test
  void nfConntrackWhenTheKernelHasIt() {
    var flows = new ProcNet(Path.of("/proc")).conntrack();
    assumeTrue(flows.isPresent(), "no /proc/net/nf_conntrack on this kernel");
    assertThat(flows.get().skipped()).isZero();
  }
}
