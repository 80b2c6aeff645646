package io.portolan.persistence.cassandra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Free-port picking and the "is this port taken" check done before Cassandra starts. */
final class Ports {

  private Ports() {}

  /** A port that was free on {@code host} a moment ago (the OS picks it). */
  static int pickFree(String host) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("Could not pick a free port on " + host + ": " + e.getMessage(), e);
    }
  }

  /** Picks a free port different from {@code other}. */
  static int pickFree(String host, int other) {
    for (int attempt = 0; attempt < 10; attempt++) {
      int port = pickFree(host);
      if (port != other) {
        return port;
      }
    }
    throw new IllegalStateException("Could not pick a second free port on " + host);
  }

  /**
   * Fails with a message naming the setting and environment variable to change when {@code port}
   * cannot be bound on {@code host}.
   */
  static void requireFree(String host, int port, String setting, String envVar) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Port "
              + port
              + " on "
              + host
              + " is already in use ("
              + e.getMessage()
              + "), so the embedded Cassandra cannot bind it. Stop whatever listens there"
              + " (often another Cassandra: `ss -ltnp 'sport = :"
              + port
              + "'`), or set "
              + setting
              + " / "
              + envVar
              + " to another port, or 0 to pick a free one.",
          e);
    }
  }

  /** True when a TCP connection to {@code host:port} succeeds within {@code timeoutMillis}. */
  static boolean accepts(String host, int port, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
