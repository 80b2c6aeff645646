package io.portolan.node.connections;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.protocol.Payload;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EdgesTest {

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  static NetSocket tcp(String l, int lp, String r, int rp, NetSocket.State st, long inode) throws Exception {
    return new NetSocket(NetSocket.Protocol.TCP, ip(l), lp, ip(r), rp, st, 0, inode);
  }

  @Test
  void aSocketOnAListeningPortIsInboundAndOthersAreOutbound() throws Exception {
    var server = new Edges.Namespace("srv", List.of(
        tcp("0.0.0.0", 8080, "0.0.0.0", 0, NetSocket.State.LISTEN, 10),
        tcp("172.17.0.2", 8080, "172.17.0.3", 40001, NetSocket.State.ESTABLISHED, 11),
        tcp("172.17.0.2", 8080, "172.17.0.3", 40002, NetSocket.State.ESTABLISHED, 12),
        tcp("172.17.0.2", 51000, "10.1.2.3", 5432, NetSocket.State.ESTABLISHED, 13),
        tcp("172.17.0.2", 8080, "172.17.0.3", 40003, NetSocket.State.TIME_WAIT, 0)));
    Map<String, Payload.Connection> edges = Edges.build("h", Map.of("net:[1]", server),
        Map.of(10L, 7, 11L, 7, 12L, 7, 13L, 8), Map.of(7, "srv", 8, "srv"), List.of(), Map.of());

    assertThat(edges).hasSize(2);
    Payload.Connection in = edges.get("connection:h;tcp;172.17.0.2:8080;172.17.0.3:0");
    assertThat(in.outbound()).isFalse();
    assertThat(in.count()).isEqualTo(2);
    assertThat(in.pid()).isEqualTo(7);
    assertThat(in.containerId()).isEqualTo("srv");
    Payload.Connection out = edges.get("connection:h;tcp;172.17.0.2:0;10.1.2.3:5432");
    assertThat(out.outbound()).isTrue();
    assertThat(out.pid()).isEqualTo(8);
    assertThat(out.source()).isEqualTo("proc");
  }

  @Test
  void theSamePortListenedOnInAnotherNamespaceDoesNotMakeAClientInbound() throws Exception {
    var a = new Edges.Namespace("a", List.of(tcp("0.0.0.0", 8080, "0.0.0.0", 0, NetSocket.State.LISTEN, 1)));
    var b = new Edges.Namespace("b", List.of(tcp("172.17.0.9", 8080, "172.17.0.2", 80, NetSocket.State.ESTABLISHED, 2)));
    Map<String, Payload.Connection> edges = Edges.build("h", Map.of("net:[a]", a, "net:[b]", b), Map.of(), Map.of(),
        List.of(), Map.of());
    assertThat(edges.values()).singleElement().satisfies(c -> {
      assertThat(c.outbound()).isTrue();
      assertThat(c.containerId()).isEqualTo("b");
      assertThat(c.remotePort()).isEqualTo(80);
    });
  }

  @Test
  void conntrackFlowsGiveBothSidesAndFollowDnatToTheRealServer() throws Exception {
    // client 172.17.0.3 dialled the host's published port 10.0.0.1:18080; DNAT sent it to 172.17.0.2:8080
    ConntrackFlow nat = new ConntrackFlow("ipv4", "tcp", 6, 100, Optional.of("TIME_WAIT"),
        new ConntrackFlow.Tuple(ip("172.17.0.3"), ip("10.0.0.1"), 40000, 18080),
        new ConntrackFlow.Tuple(ip("172.17.0.2"), ip("172.17.0.3"), 8080, 40000), Set.of("ASSURED"));
    ConntrackFlow again = new ConntrackFlow("ipv4", "tcp", 6, 100, Optional.of("TIME_WAIT"),
        new ConntrackFlow.Tuple(ip("172.17.0.3"), ip("172.17.0.2"), 40001, 8080),
        new ConntrackFlow.Tuple(ip("172.17.0.2"), ip("172.17.0.3"), 8080, 40001), Set.of("ASSURED"));
    ConntrackFlow icmp = new ConntrackFlow("ipv4", "icmp", 1, 10, Optional.empty(),
        new ConntrackFlow.Tuple(ip("172.17.0.3"), ip("172.17.0.2"), 0, 0),
        new ConntrackFlow.Tuple(ip("172.17.0.2"), ip("172.17.0.3"), 0, 0), Set.of());
    var server = new Edges.Namespace("srv", List.of(tcp("0.0.0.0", 8080, "0.0.0.0", 0, NetSocket.State.LISTEN, 5)));

    Map<String, Payload.Connection> edges = Edges.build("h", Map.of("net:[s]", server), Map.of(5L, 77),
        Map.of(77, "srv"), List.of(nat, again, icmp), Map.of("172.17.0.3", "cli", "172.17.0.2", "srv"));

    Payload.Connection out = edges.get("connection:h;tcp;172.17.0.3:0;172.17.0.2:8080");
    assertThat(out.outbound()).isTrue();
    assertThat(out.containerId()).isEqualTo("cli");
    assertThat(out.count()).isEqualTo(2);
    assertThat(out.source()).isEqualTo("conntrack");
    Payload.Connection in = edges.get("connection:h;tcp;172.17.0.2:8080;172.17.0.3:0");
    assertThat(in.outbound()).isFalse();
    assertThat(in.containerId()).isEqualTo("srv");
    assertThat(in.pid()).isEqualTo(77); // the listener's owner
    assertThat(edges).hasSize(2);
  }

  @Test
  void procAndConntrackSeeingTheSameEdgeMergeWithTheLargerCount() throws Exception {
    var cli = new Edges.Namespace("cli", List.of(
        tcp("172.17.0.3", 40010, "172.17.0.2", 8080, NetSocket.State.ESTABLISHED, 9)));
    ConntrackFlow f1 = new ConntrackFlow("ipv4", "tcp", 6, 100, Optional.of("ESTABLISHED"),
        new ConntrackFlow.Tuple(ip("172.17.0.3"), ip("172.17.0.2"), 40010, 8080),
        new ConntrackFlow.Tuple(ip("172.17.0.2"), ip("172.17.0.3"), 8080, 40010), Set.of());
    ConntrackFlow f2 = new ConntrackFlow("ipv4", "tcp", 6, 100, Optional.of("TIME_WAIT"),
        new ConntrackFlow.Tuple(ip("172.17.0.3"), ip("172.17.0.2"), 40009, 8080),
        new ConntrackFlow.Tuple(ip("172.17.0.2"), ip("172.17.0.3"), 8080, 40009), Set.of());
    Map<String, Payload.Connection> edges = Edges.build("h", Map.of("net:[c]", cli), Map.of(9L, 42),
        Map.of(42, "cli"), List.of(f1, f2), Map.of("172.17.0.3", "cli"));
    assertThat(edges.get("connection:h;tcp;172.17.0.3:0;172.17.0.2:8080")).satisfies(c -> {
      assertThat(c.count()).isEqualTo(2);
      assertThat(c.pid()).isEqualTo(42);
      assertThat(c.source()).isEqualTo("proc+conntrack");
    });
  }

  @Test
  void udpUnconnectedSocketsListenAndConnectedOnesAreEdges() throws Exception {
    var ns = new Edges.Namespace(null, List.of(
        new NetSocket(NetSocket.Protocol.UDP, ip("0.0.0.0"), 53, ip("0.0.0.0"), 0, NetSocket.State.CLOSE, 0, 1),
        new NetSocket(NetSocket.Protocol.UDP, ip("10.0.0.5"), 53, ip("10.0.0.9"), 3333, NetSocket.State.ESTABLISHED, 0, 2),
        new NetSocket(NetSocket.Protocol.UDP6, ip("::1"), 41000, ip("::1"), 53, NetSocket.State.ESTABLISHED, 0, 3)));
    Map<String, Payload.Connection> edges = Edges.build("h", Map.of("n", ns), Map.of(), Map.of(), List.of(), Map.of());
    assertThat(edges.get("connection:h;udp;10.0.0.5:53;10.0.0.9:0").outbound()).isFalse();
    assertThat(edges.get("connection:h;udp;0:0:0:0:0:0:0:1:0;0:0:0:0:0:0:0:1:53").outbound()).isTrue();
  }
}
