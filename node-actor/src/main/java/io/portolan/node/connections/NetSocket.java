package io.portolan.node.connections;

import io.portolan.node.parse.Lines;
import io.portolan.node.parse.Parsed;
import java.net.InetAddress;
import java.util.Optional;

/**
 * One row of {@code /proc/net/tcp}, {@code tcp6}, {@code udp} or {@code udp6}. {@code inode} joins it
 * to a process through that process's {@code fd/} ({@code socket:[inode]}); it is 0 for sockets no
 * process owns any more (TIME_WAIT).
 */
public record NetSocket(
    Protocol protocol,
    InetAddress localAddress,
    int localPort,
    InetAddress remoteAddress,
    int remotePort,
    State state,
    int uid,
    long inode) {

  public enum Protocol {
    TCP("tcp"), TCP6("tcp6"), UDP("udp"), UDP6("udp6");

    /** The file name below {@code net/}. */
    public final String file;

    Protocol(String file) {
      this.file = file;
    }
  }

  /** include/net/tcp_states.h; UDP uses ESTABLISHED (connected) and CLOSE (unconnected). */
  public enum State {
    UNKNOWN, ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, CLOSE_WAIT,
    LAST_ACK, LISTEN, CLOSING, NEW_SYN_RECV, BOUND_INACTIVE;

    static State of(int code) {
      State[] all = values();
      return code > 0 && code < all.length ? all[code] : UNKNOWN;
    }
  }

  /** The header line is not counted as skipped. */
  public static Parsed<NetSocket> parse(Protocol protocol, String content) {
    return Lines.parseEach(
        content.lines().filter(l -> !l.contains("local_address")).toList(),
        line -> parseLine(protocol, line));
  }

  //   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
  //    0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21339 ...
  static Optional<NetSocket> parseLine(Protocol protocol, String line) {
    String[] f = Lines.fields(line);
    if (f.length < 10 || !f[0].endsWith(":")) {
      return Optional.empty();
    }
    int expectedHex = protocol == Protocol.TCP || protocol == Protocol.UDP ? 8 : 32;
    int lc = f[1].indexOf(':');
    int rc = f[2].indexOf(':');
    if (lc != expectedHex || rc != expectedHex || f[3].length() != 2 || !InetLiterals.isHex(f[3])) {
      return Optional.empty();
    }
    return Optional.of(new NetSocket(
        protocol,
        InetLiterals.fromProcHex(f[1].substring(0, lc)),
        port(f[1].substring(lc + 1)),
        InetLiterals.fromProcHex(f[2].substring(0, rc)),
        port(f[2].substring(rc + 1)),
        State.of(Integer.parseInt(f[3], 16)),
        Integer.parseInt(f[7]),
        Long.parseLong(f[9])));
  }

  private static int port(String hex) {
    if (hex.length() != 4 || !InetLiterals.isHex(hex)) {
      throw new IllegalArgumentException("port must have 4 hex digits: " + hex);
    }
    return Integer.parseInt(hex, 16);
  }
}
