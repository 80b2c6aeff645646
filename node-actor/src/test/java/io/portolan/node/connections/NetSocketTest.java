package io.portolan.node.connections;

import static io.portolan.node.Fixtures.text;
import static io.portolan.node.connections.NetSocket.Protocol.TCP;
import static io.portolan.node.connections.NetSocket.Protocol.TCP6;
import static io.portolan.node.connections.NetSocket.Protocol.UDP;
import static io.portolan.node.connections.NetSocket.Protocol.UDP6;
import static io.portolan.node.connections.NetSocket.State.CLOSE;
import static io.portolan.node.connections.NetSocket.State.ESTABLISHED;
import static io.portolan.node.connections.NetSocket.State.LISTEN;
import static io.portolan.node.connections.NetSocket.State.TIME_WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.node.parse.Parsed;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class NetSocketTest {

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // literals only: no lookup
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void tcp() {
    Parsed<NetSocket> t = NetSocket.parse(TCP, text("connections/tcp"));
    assertThat(t.values()).containsExactly(
        new NetSocket(TCP, ip("0.0.0.0"), 8080, ip("0.0.0.0"), 0, LISTEN, 0, 21339),
        new NetSocket(TCP, ip("127.0.0.1"), 44281, ip("127.0.0.1"), 8080, ESTABLISHED, 1000, 48211),
        new NetSocket(TCP, ip("172.17.0.2"), 54242, ip("10.0.0.10"), 443, TIME_WAIT, 0, 0));
    assertThat(t.skipped()).isEqualTo(3); // port GGGG, port -001, truncated
  }

  @Test
  void tcp6IncludingV4MappedAddresses() {
    Parsed<NetSocket> t = NetSocket.parse(TCP6, text("connections/tcp6"));
    assertThat(t.values()).containsExactly(
        new NetSocket(TCP6, ip("::"), 22, ip("::"), 0, LISTEN, 0, 1234),
        new NetSocket(TCP6, ip("::1"), 8080, ip("::1"), 50000, ESTABLISHED, 1000, 5678),
        new NetSocket(TCP6, ip("127.0.0.1"), 8080, ip("192.168.0.2"), 54321, ESTABLISHED, 0, 9012),
        new NetSocket(TCP6, ip("2001:db8::1"), 80, ip("2001:db8::2"), 57586, ESTABLISHED, 0, 3456));
    // ::ffff:127.0.0.1 is the same endpoint as 127.0.0.1 in /proc/net/tcp.
    assertThat(t.values().get(2).localAddress()).isInstanceOf(Inet4Address.class);
    assertThat(t.skipped()).isEqualTo(2); // a v4-sized address in tcp6, truncated
  }

  @Test
  void udpAndUdp6() {
    Parsed<NetSocket> u = NetSocket.parse(UDP, text("connections/udp"));
    assertThat(u.values()).containsExactly(
        new NetSocket(UDP, ip("127.0.0.53"), 53, ip("0.0.0.0"), 0, CLOSE, 101, 15733),
        new NetSocket(UDP, ip("0.0.0.0"), 68, ip("0.0.0.0"), 0, CLOSE, 0, 16001),
        new NetSocket(UDP, ip("10.0.2.15"), 41394, ip("8.8.8.8"), 53, ESTABLISHED, 1000, 17002));
    assertThat(u.skipped()).isEqualTo(1); // "garbage"

    Parsed<NetSocket> u6 = NetSocket.parse(UDP6, text("connections/udp6"));
    assertThat(u6.values()).containsExactly(
        new NetSocket(UDP6, ip("::"), 5353, ip("::"), 0, CLOSE, 104, 18000));
    assertThat(u6.skipped()).isEqualTo(1); // 31 hex digits
  }

  @Test
  void unknownStateCodeIsKeptAsUnknown() {
    String line = "   0: 0100007F:0050 00000000:0000 FF 00000000:00000000 00:00000000 00000000     0        0 9 1";
    assertThat(NetSocket.parse(TCP, line).values()).extracting(NetSocket::state)
        .containsExactly(NetSocket.State.UNKNOWN);
  }

  @Test
  void emptyFile() {
    assertThat(NetSocket.parse(TCP, "")).isEqualTo(Parsed.empty());
  }
}
