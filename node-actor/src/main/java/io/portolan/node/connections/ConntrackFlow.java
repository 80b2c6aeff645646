package io.portolan.node.connections;

import io.portolan.node.parse.Lines;
import io.portolan.node.parse.Parsed;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * One conntrack entry: the original-direction tuple (who connected to whom, before NAT) and the
 * reply tuple (after DNAT the reply comes from the real backend, so {@code reply.src} is where a
 * Service's traffic actually went).
 *
 * <p>Source of the text, in order of preference:
 * <ol>
 *   <li>{@code /proc/net/nf_conntrack} when the kernel has it (CONFIG_NF_CONNTRACK_PROCFS and the
 *       nf_conntrack module loaded; many distribution kernels have dropped the file), read by
 *       {@link ProcNet#conntrack()};</li>
 *   <li>otherwise the output of {@code conntrack -L -o extended} (conntrack-tools), which prints the
 *       same line format. Plain {@code conntrack -L} lacks the leading {@code ipv4 2} and is accepted too.</li>
 * </ol>
 * Both are snapshots. Weave Scope used netlink events instead and lost flows when the socket buffer
 * overran (weaveworks/scope#1137, #1814); a netlink reader is future work and would reuse these records.
 *
 * <pre>
 * ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.2 dst=10.96.0.10 sport=43210 dport=80 \
 *     src=10.244.1.7 dst=10.0.0.2 sport=8080 dport=43210 [ASSURED] mark=0 zone=0 use=2
 * </pre>
 */
public record ConntrackFlow(
    String family,
    String protocol,
    int protocolNumber,
    long timeoutSeconds,
    Optional<String> state,
    Tuple original,
    Tuple reply,
    Set<String> flags) {

  public ConntrackFlow {
    flags = Set.copyOf(flags);
  }

  /** Ports are 0 for protocols without them (icmp, igmp, gre, ...). */
  public record Tuple(InetAddress src, InetAddress dst, int srcPort, int dstPort) {}

  public boolean isAssured() {
    return flags.contains("ASSURED");
  }

  /** Blank lines and conntrack's summary line ("conntrack v1.4.7 ...: 5 flow entries ...") are not counted. */
  public static Parsed<ConntrackFlow> parse(String content) {
    return Lines.parseEach(
        content.lines().filter(l -> !l.startsWith("conntrack v")).toList(),
        ConntrackFlow::parseLine);
  }

  static Optional<ConntrackFlow> parseLine(String line) {
    String[] f = Lines.fields(line);
    int i = 0;
    String family = null;
    if (f.length > 1 && (f[0].equals("ipv4") || f[0].equals("ipv6"))) {
      family = f[0];
      i = 2;
    }
    if (f.length < i + 3) {
      return Optional.empty();
    }
    String protocol = f[i];
    int protocolNumber = Integer.parseInt(f[i + 1]);
    long timeout = Long.parseLong(f[i + 2]);
    i += 3;
    String state = null;
    if (i < f.length && f[i].indexOf('=') < 0 && !f[i].startsWith("[")) {
      state = f[i++];
    }

    TupleBuilder orig = new TupleBuilder();
    TupleBuilder reply = new TupleBuilder();
    TupleBuilder current = orig;
    Set<String> flags = new HashSet<>();
    for (; i < f.length; i++) {
      String t = f[i];
      if (t.startsWith("[") && t.endsWith("]")) {
        flags.add(t.substring(1, t.length() - 1));
        continue;
      }
      int eq = t.indexOf('=');
      if (eq < 1) {
        return Optional.empty();
      }
      String key = t.substring(0, eq);
      String value = t.substring(eq + 1);
      if (key.equals("src") && current.src != null) {
        if (current == reply) {
          return Optional.empty(); // a third tuple: not a line we understand
        }
        current = reply;
      }
      switch (key) {
        case "src" -> current.src = InetLiterals.fromLiteral(value);
        case "dst" -> current.dst = InetLiterals.fromLiteral(value);
        case "sport" -> current.srcPort = port(value);
        case "dport" -> current.dstPort = port(value);
        default -> { } // type/code/id (icmp), packets/bytes (accounting), mark, zone, use, secctx, ...
      }
    }
    if (!orig.complete() || !reply.complete()) {
      return Optional.empty(); // truncated
    }
    if (family == null) {
      family = orig.src instanceof Inet6Address ? "ipv6" : "ipv4";
    }
    return Optional.of(new ConntrackFlow(family, protocol, protocolNumber, timeout,
        Optional.ofNullable(state), orig.build(), reply.build(), flags));
  }

  private static int port(String s) {
    int p = Integer.parseInt(s);
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("port out of range: " + s);
    }
    return p;
  }

  private static final class TupleBuilder {
    InetAddress src;
    InetAddress dst;
    int srcPort;
    int dstPort;

    boolean complete() {
      return src != null && dst != null;
    }

    Tuple build() {
      return new Tuple(src, dst, srcPort, dstPort);
    }
  }
}
