package io.portolan.node.connections;

import io.portolan.protocol.Keys;
import io.portolan.protocol.Payload;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns sockets and conntrack flows into connection entries (pure). Each entry is one side of an edge
 * as seen from a local endpoint, with the client's ephemeral port left out so that the key stays the
 * same while connections come and go:
 * <ul>
 *   <li>outbound (this side is the client): {@code local = client ip : 0, remote = server ip : port}</li>
 *   <li>inbound (this side is the server): {@code local = server ip : port, remote = client ip : 0}</li>
 * </ul>
 * A socket is inbound when its local port is a listening port (TCP LISTEN, or an unconnected UDP
 * socket) in the same network namespace, outbound otherwise. A conntrack flow's original direction
 * names the client; after DNAT the reply tuple names the real server, which is what the edge points at.
 * {@code count} is how many connections (sockets or flows) the entry stands for.
 */
public final class Edges {

  private Edges() {}

  /** Sockets of one network namespace and who owns them. */
  public record Namespace(String containerId, List<NetSocket> sockets) {}

  public static Map<String, Payload.Connection> build(String hostId, Map<String, Namespace> namespaces,
      Map<Long, Integer> inodeOwner, Map<Integer, String> pidContainer, List<ConntrackFlow> flows,
      Map<String, String> containerByIp) {
    Map<String, Acc> out = new HashMap<>();
    // Listening ports per namespace, and who listens (for conntrack's inbound side).
    Map<String, Set<String>> listeningByNs = new HashMap<>();
    Map<String, Integer> listenerPid = new HashMap<>(); // "<containerId>|<proto>|<port>" -> pid
    namespaces.forEach((ns, n) -> {
      Set<String> listening = new HashSet<>();
      for (NetSocket s : n.sockets()) {
        if (isListening(s)) {
          listening.add(proto(s.protocol()) + "/" + s.localPort());
          Integer pid = inodeOwner.get(s.inode());
          if (pid != null && n.containerId() != null) {
            listenerPid.merge(n.containerId() + "|" + proto(s.protocol()) + "|" + s.localPort(), pid, Math::min);
          }
        }
      }
      listeningByNs.put(ns, listening);
    });

    namespaces.forEach((ns, n) -> {
      Set<String> listening = listeningByNs.get(ns);
      for (NetSocket s : n.sockets()) {
        if (!isConnection(s)) {
          continue;
        }
        String proto = proto(s.protocol());
        boolean inbound = listening.contains(proto + "/" + s.localPort());
        Integer pid = inodeOwner.get(s.inode());
        String container = pid != null ? pidContainer.getOrDefault(pid, "") : "";
        if (container.isEmpty() && n.containerId() != null) {
          container = n.containerId();
        }
        add(out, hostId, proto, s.localAddress(), s.localPort(), s.remoteAddress(), s.remotePort(), inbound,
            pid == null ? 0 : pid, container, "proc");
      }
    });

    for (ConntrackFlow f : flows) {
      if (!f.protocol().equals("tcp") && !f.protocol().equals("udp")) {
        continue;
      }
      String client = f.original().src().getHostAddress();
      // After DNAT (published ports, Services) the reply comes from the real server.
      InetAddress serverAddr = f.reply().src();
      int serverPort = f.reply().srcPort();
      String server = serverAddr.getHostAddress();
      String clientContainer = containerByIp.get(client);
      String serverContainer = containerByIp.get(server);
      if (clientContainer != null) {
        add(out, hostId, f.protocol(), f.original().src(), f.original().srcPort(), serverAddr, serverPort, false, 0,
            clientContainer, "conntrack");
      }
      if (serverContainer != null) {
        int pid = listenerPid.getOrDefault(serverContainer + "|" + f.protocol() + "|" + serverPort, 0);
        add(out, hostId, f.protocol(), serverAddr, serverPort, f.original().src(), f.original().srcPort(), true, pid,
            serverContainer, "conntrack");
      }
    }
    Map<String, Payload.Connection> result = new HashMap<>();
    out.forEach((k, a) -> result.put(k, a.toPayload()));
    return result;
  }

  /** One entry being built: connections counted per source (both see the same flows, so the larger count wins). */
  private static final class Acc {
    final String proto;
    final String local;
    final int localPort;
    final String remote;
    final int remotePort;
    final boolean inbound;
    int pid;
    String containerId;
    int procCount;
    int conntrackCount;

    Acc(String proto, String local, int localPort, String remote, int remotePort, boolean inbound) {
      this.proto = proto;
      this.local = local;
      this.localPort = localPort;
      this.remote = remote;
      this.remotePort = remotePort;
      this.inbound = inbound;
    }

    Payload.Connection toPayload() {
      String source = procCount > 0 && conntrackCount > 0 ? "proc+conntrack" : procCount > 0 ? "proc" : "conntrack";
      return new Payload.Connection(proto, local, localPort, remote, remotePort, !inbound, pid,
          containerId == null ? "" : containerId, Math.max(procCount, conntrackCount), source);
    }
  }

  private static void add(Map<String, Acc> out, String hostId, String proto, InetAddress local,
      int localPort, InetAddress remote, int remotePort, boolean inbound, int pid, String containerId, String source) {
    String l = local.getHostAddress();
    String r = remote.getHostAddress();
    int lp = inbound ? localPort : 0;
    int rp = inbound ? 0 : remotePort;
    String key = Keys.connection(hostId, proto, l, lp, r, rp);
    Acc acc = out.computeIfAbsent(key, k -> new Acc(proto, l, lp, r, rp, inbound));
    if (source.equals("proc")) {
      acc.procCount++;
    } else {
      acc.conntrackCount++;
    }
    if (pid != 0 && (acc.pid == 0 || pid < acc.pid)) {
      acc.pid = pid;
    }
    if ((acc.containerId == null || acc.containerId.isEmpty()) && containerId != null && !containerId.isEmpty()) {
      acc.containerId = containerId;
    }
  }

  static boolean isListening(NetSocket s) {
    return switch (s.protocol()) {
      case TCP, TCP6 -> s.state() == NetSocket.State.LISTEN;
      case UDP, UDP6 -> s.remotePort() == 0 && s.localPort() != 0;
    };
  }

  static boolean isConnection(NetSocket s) {
    return switch (s.protocol()) {
      case TCP, TCP6 -> switch (s.state()) {
        case ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, CLOSE_WAIT, LAST_ACK, CLOSING -> true;
        default -> false;
      };
      case UDP, UDP6 -> s.remotePort() != 0;
    };
  }

  static String proto(NetSocket.Protocol p) {
    return p == NetSocket.Protocol.TCP || p == NetSocket.Protocol.TCP6 ? "tcp" : "udp";
  }
}
