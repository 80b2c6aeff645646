package io.portolan.node.connections;

import static io.portolan.node.Fixtures.text;
import static io.portolan.node.connections.NetSocketTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.node.connections.ConntrackFlow.Tuple;
import io.portolan.node.parse.Parsed;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConntrackFlowTest {

  @Test
  void procNfConntrackFormat() {
    Parsed<ConntrackFlow> p = ConntrackFlow.parse(text("connections/nf_conntrack"));
    assertThat(p.values()).containsExactly(
        new ConntrackFlow("ipv4", "tcp", 6, 431999, Optional.of("ESTABLISHED"),
            new Tuple(ip("10.0.0.2"), ip("10.96.0.10"), 43210, 80),
            new Tuple(ip("10.244.1.7"), ip("10.0.0.2"), 8080, 43210),
            Set.of("ASSURED")),
        new ConntrackFlow("ipv4", "udp", 17, 29, Optional.empty(),
            new Tuple(ip("10.244.1.7"), ip("10.96.0.10"), 51000, 53),
            new Tuple(ip("10.244.2.3"), ip("10.244.1.7"), 53, 51000),
            Set.of("UNREPLIED")),
        new ConntrackFlow("ipv4", "unknown", 2, 486, Optional.empty(),
            new Tuple(ip("172.17.0.1"), ip("224.0.0.22"), 0, 0),
            new Tuple(ip("224.0.0.22"), ip("172.17.0.1"), 0, 0),
            Set.of("UNREPLIED")),
        new ConntrackFlow("ipv6", "tcp", 6, 117, Optional.of("TIME_WAIT"),
            new Tuple(ip("fd00::2"), ip("fd00::10"), 40000, 443),
            new Tuple(ip("fd00::10"), ip("fd00::2"), 443, 40000),
            Set.of("ASSURED")),
        new ConntrackFlow("ipv4", "icmp", 1, 29, Optional.empty(),
            new Tuple(ip("10.0.0.2"), ip("8.8.8.8"), 0, 0),
            new Tuple(ip("8.8.8.8"), ip("10.0.0.2"), 0, 0),
            Set.of()));
    // truncated (no reply tuple), 10.0.0.999, a host name (never resolved), port 70000
    assertThat(p.skipped()).isEqualTo(4);
    assertThat(p.values().get(0).isAssured()).isTrue();
  }

  @Test
  void conntrackToolOutputWithoutTheFamilyColumn() {
    Parsed<ConntrackFlow> p = ConntrackFlow.parse(text("connections/conntrack-L"));
    assertThat(p.values()).containsExactly(
        new ConntrackFlow("ipv4", "tcp", 6, 86399, Optional.of("ESTABLISHED"),
            new Tuple(ip("192.168.1.5"), ip("192.168.1.1"), 22, 51234),
            new Tuple(ip("192.168.1.1"), ip("192.168.1.5"), 51234, 22),
            Set.of("ASSURED")),
        new ConntrackFlow("ipv6", "udp", 17, 170, Optional.empty(),
            new Tuple(ip("fd00::2"), ip("fd00::53"), 5353, 53),
            new Tuple(ip("fd00::53"), ip("fd00::2"), 53, 5353),
            Set.of("ASSURED")));
    assertThat(p.skipped()).isEqualTo(1); // "tcp 6 86399"; the summary line is not a record
  }

  @Test
  void garbageNeverThrows() {
    Parsed<ConntrackFlow> p = ConntrackFlow.parse("ipv4\nipv4 2\n= = =\nsrc=\n[X]\ntcp 6 1 src=1.2.3.4 dst=::1x\n");
    assertThat(p.values()).isEmpty();
    assertThat(p.skipped()).isEqualTo(6);
  }
}
