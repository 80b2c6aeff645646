package io.portolan.cluster.view;

import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.TopologyStore.Model;
import io.portolan.protocol.Payload;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who owns an address: built from the whole model (memoised per host, see {@link #of}), so that a connection seen on
 * one host is resolved to the container/process/host on the other end. Resolution order: the exact
 * {@code ip:port} of a server-side connection (with its pid and container), a published container
 * port, a container IP, a host IP. Loopback addresses resolve within the same host only.
 */
final class Endpoints {

  record Owner(String hostId, String containerId, int pid) {}

  private final Map<String, Owner> byEndpoint = new HashMap<>();
  private final Map<String, Owner> byIp = new HashMap<>();

  /** One step of building the index: put (or put if absent) an owner under an address. */
  private record Op(boolean endpoint, boolean ifAbsent, String address, Owner owner) {}

  /** What one host adds to the index, made from one live map (reused while that map is the same object). */
  private record Contribution(String hostId, Map<String, Payload> live, List<Op> ops) {}

  /** The last index and the contributions it was built from (renders of one model share it). */
  private record Built(List<Contribution> from, Endpoints index) {}

  private static final Map<String, Contribution> CONTRIBUTIONS = new java.util.concurrent.ConcurrentHashMap<>();
  private static volatile Built last = new Built(List.of(), new Endpoints());

  /**
   * The index of {@code model}: memoised, so each host's part is computed again only when its live
   * payloads changed, and the same instance is returned while no host's part changed (callers may
   * memoise on its identity).
   */
  static Endpoints of(Model model) {
    List<Contribution> parts = new java.util.ArrayList<>(model.hosts().size());
    for (HostSnapshot host : model.hosts()) {
      Contribution c = CONTRIBUTIONS.get(host.hostId());
      if (c == null || c.live() != host.live()) {
        c = contribution(host);
        CONTRIBUTIONS.put(host.hostId(), c);
      }
      parts.add(c);
    }
    if (CONTRIBUTIONS.size() > parts.size()) {
      java.util.Set<String> present = new java.util.HashSet<>();
      model.hosts().forEach(h -> present.add(h.hostId()));
      CONTRIBUTIONS.keySet().retainAll(present);
    }
    Built previous = last;
    if (sameParts(previous.from(), parts)) {
      return previous.index();
    }
    // A host whose live payloads changed without changing its addresses (a process restarted, a
    // container renamed) leaves the index as it was: building it again at a thousand hosts, where
    // some host changes between any two renders, was most of a render.
    if (sameOps(previous.from(), parts)) {
      last = new Built(parts, previous.index());
      return previous.index();
    }
    Endpoints index = new Endpoints();
    for (Contribution c : parts) {
      for (Op op : c.ops()) {
        Map<String, Owner> map = op.endpoint() ? index.byEndpoint : index.byIp;
        if (op.ifAbsent()) {
          map.putIfAbsent(op.address(), op.owner());
        } else {
          map.put(op.address(), op.owner());
        }
      }
    }
    // A host whose structure changed without changing its addresses leaves the index as it was.
    if (index.byEndpoint.equals(previous.index().byEndpoint) && index.byIp.equals(previous.index().byIp)) {
      index = previous.index();
    }
    last = new Built(parts, index);
    return index;
  }

  /** Whether both lists hold the same hosts in the same order with the same ops (made from other payloads, maybe). */
  private static boolean sameOps(List<Contribution> a, List<Contribution> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      Contribution x = a.get(i);
      Contribution y = b.get(i);
      if (x != y && (!x.hostId().equals(y.hostId()) || !x.ops().equals(y.ops()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameParts(List<Contribution> a, List<Contribution> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  private static Contribution contribution(HostSnapshot host) {
    List<Op> ops = new java.util.ArrayList<>();
    String hostId = host.hostId();
    List<String> hostIps = new java.util.ArrayList<>();
    Payload.Host h = host.host();
    if (h != null && h.interfaces() != null) {
      for (Payload.NetInterface nic : h.interfaces()) {
        if (nic.addresses() == null) {
          continue;
        }
        for (String address : nic.addresses()) {
          String ip = Facts.bareIp(address);
          if (!ip.isEmpty() && !Facts.loopback(ip)) {
            hostIps.add(ip);
            ops.add(new Op(false, true, ip, new Owner(hostId, null, 0)));
          }
        }
      }
    }
    for (Payload p : host.live().values()) {
      if (p instanceof Payload.Container c) {
        if (c.networks() != null) {
          for (String address : c.networks().values()) {
            String ip = Facts.bareIp(address);
            if (!ip.isEmpty()) {
              ops.add(new Op(false, false, ip, new Owner(hostId, c.id(), 0)));
            }
          }
        }
        if (c.ports() != null) {
          for (Payload.Port port : c.ports()) {
            if (port.publicPort() <= 0) {
              continue;
            }
            if (Facts.unspecified(port.ip())) {
              for (String ip : hostIps) {
                ops.add(new Op(true, true, ip + ":" + port.publicPort(), new Owner(hostId, c.id(), 0)));
              }
            } else {
              ops.add(new Op(true, true, port.ip() + ":" + port.publicPort(), new Owner(hostId, c.id(), 0)));
            }
          }
        }
      }
    }
    for (Payload p : host.live().values()) {
      if (p instanceof Payload.Connection c && !c.outbound()) {
        String ip = Facts.bareIp(c.localAddress());
        String key = (Facts.loopback(ip) ? hostId + "|" : "") + ip + ":" + c.localPort();
        ops.add(new Op(true, false, key, new Owner(hostId, blankToNull(c.containerId()), c.pid())));
      }
    }
    return new Contribution(hostId, host.live(), List.copyOf(ops));
  }

  /** The owner of {@code ip:port} as seen from {@code fromHost}, or null when it is outside the model. */
  Owner resolve(String fromHost, String address, int port) {
    String ip = Facts.bareIp(address);
    if (Facts.loopback(ip)) {
      Owner o = byEndpoint.get(fromHost + "|" + ip + ":" + port);
      return o != null ? o : new Owner(fromHost, null, 0);
    }
    Owner o = byEndpoint.get(ip + ":" + port);
    return o != null ? o : byIp.get(ip);
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
