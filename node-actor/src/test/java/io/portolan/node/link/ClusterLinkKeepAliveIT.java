package io.portolan.node.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.node.testkit.TestAgent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A peer that accepts the WebSocket upgrade and then goes silent (as a cluster node behind a dead
 * network would): the agent pings it every keep-alive, gets no pong, and after dead-after aborts the
 * connection and dials again. The server is a plain socket that speaks just the RFC 6455 handshake.
 */
class ClusterLinkKeepAliveIT {

  @Test
  void aSilentPeerIsPingedThenAbandonedAndRedialled() throws Exception {
    AtomicInteger upgrades = new AtomicInteger();
    List<Integer> opcodes = new CopyOnWriteArrayList<>();
    List<Socket> open = new CopyOnWriteArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket s = server.accept();
            open.add(s);
            Thread t = new Thread(() -> silentPeer(s, upgrades, opcodes), "silent-peer");
            t.setDaemon(true);
            t.start();
          } catch (IOException e) {
            return;
          }
        }
      }, "silent-acceptor");
      acceptor.setDaemon(true);
      acceptor.start();

      Map<String, Object> extra = new HashMap<>(ClusterLinkIT.FAST);
      extra.put("portolan.node.agent.keep-alive", "300ms");
      extra.put("portolan.node.agent.dead-after", "1500ms");
      try (TestAgent agent = new TestAgent(List.of("ws://127.0.0.1:" + server.getLocalPort()), "t", extra)) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (upgrades.get() < 2 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(upgrades.get()).as("connections after the first went silent").isGreaterThanOrEqualTo(2);
        assertThat(opcodes).as("frames the agent sent: binary Hello/reports and pings").contains(0x2, 0x9);
      }
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
  }

  /** Answers the upgrade, then only reads (and records the opcode of each frame's first byte it can see). */
  private static void silentPeer(Socket s, AtomicInteger upgrades, List<Integer> opcodes) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      String key = null;
      StringBuilder line = new StringBuilder();
      List<String> headers = new ArrayList<>();
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          String l = line.toString().strip();
          line.setLength(0);
          if (l.isEmpty()) {
            break;
          }
          headers.add(l);
          if (l.toLowerCase().startsWith("sec-websocket-key:")) {
            key = l.substring(l.indexOf(':') + 1).strip();
          }
        } else {
          line.append((char) c);
        }
      }
      if (key == null) {
        return;
      }
      String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
          .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
      out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      upgrades.incrementAndGet();
      // read frames (client frames are masked): header, length, mask, payload; never answer anything
      while (true) {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
          return;
        }
        opcodes.add(b0 & 0x0f);
        long len = b1 & 0x7f;
        if (len == 126) {
          len = (in.read() << 8) | in.read();
        } else if (len == 127) {
          len = 0;
          for (int i = 0; i < 8; i++) {
            len = (len << 8) | in.read();
          }
        }
        in.readNBytes(4); // mask
        in.skipNBytes(len);
      }
    } catch (Exception e) {
      // the agent aborted the connection: expected
    }
  }
}
