package io.portolan.cluster.view;

import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.TopologyStore.Model;
import io.portolan.protocol.Payload;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who owns an address: built once per render from the whole model, so that a connection seen on
 * one host is resolved to the container/process/host on the other end. Resolution order: the exact
 * {@code ip:port} of a server-side connection (with its pid and container), a published container
 * port, a container IP, a host IP. Loopback addresses resolve within the same host only.
 */
final class Endpoints {

  record Owner(String hostId, String containerId, int pid) {}

  private final Map<String, Owner> byEndpoint = new HashMap<>();
  private final Map<String, Owner> byIp = new HashMap<>();

  static Endpoints of(Model model) {
    Endpoints index = new Endpoints();
    for (HostSnapshot host : model.hosts()) {
      index.addHost(host);
    }
    return index;
  }

  private void addHost(HostSnapshot host) {
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
            byIp.putIfAbsent(ip, new Owner(hostId, null, 0));
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
              byIp.put(ip, new Owner(hostId, c.id(), 0));
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
                byEndpoint.putIfAbsent(ip + ":" + port.publicPort(), new Owner(hostId, c.id(), 0));
              }
            } else {
              byEndpoint.putIfAbsent(port.ip() + ":" + port.publicPort(), new Owner(hostId, c.id(), 0));
            }
          }
        }
      }
    }
    for (Payload p : host.live().values()) {
      if (p instanceof Payload.Connection c && !c.outbound()) {
        String ip = Facts.bareIp(c.localAddress());
        String key = (Facts.loopback(ip) ? hostId + "|" : "") + ip + ":" + c.localPort();
        byEndpoint.put(key, new Owner(hostId, blankToNull(c.containerId()), c.pid()));
      }
    }
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
