package io.portolan.node.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Conntrack's address literals: parsed without DNS, malformed ones refused, repeated ones shared. */
class InetLiteralsTest {

  @Test
  void parsesDottedQuadsAndIpv6() throws Exception {
    assertThat(InetLiterals.fromLiteral("172.17.0.2")).isEqualTo(InetAddress.getByAddress(new byte[] {(byte) 172, 17, 0, 2}));
    assertThat(InetLiterals.fromLiteral("0.0.0.0").getHostAddress()).isEqualTo("0.0.0.0");
    assertThat(InetLiterals.fromLiteral("255.255.255.255").getHostAddress()).isEqualTo("255.255.255.255");
    assertThat(InetLiterals.fromLiteral("fd00::1")).isInstanceOf(Inet6Address.class);
  }

  @Test
  void refusesMalformedIpv4() {
    for (String bad : new String[] {"", "1.2.3", "1.2.3.", ".1.2.3", "1..2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.1000",
        "0001.2.3.4", "1.2.3.4a", "1.2.-3.4", "a.b.c.d", "1.2.3.4 ", "localhost"}) {
      assertThatThrownBy(() -> InetLiterals.fromLiteral(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theSameTextGivesTheSameInstanceAndTheCacheStaysBounded() {
    InetAddress a = InetLiterals.fromLiteral(new String("10.9.8.7"));
    assertThat(InetLiterals.fromLiteral(new String("10.9.8.7"))).isSameAs(a);
    for (int i = 0; i < InetLiterals.CACHE_MAX + 10; i++) {
      InetLiterals.fromLiteral("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
    }
    assertThat(InetLiterals.cacheSize()).isLessThanOrEqualTo(InetLiterals.CACHE_MAX);
  }
}
