package io.portolan.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A browser stand-in: subscribes to {@code /api/topology/{view}/ws} and measures report-to-delta
 * latency: a probe renames a container to {@code probe-<n>} in an agent's next delta; the time from
 * sending that delta to the WebSocket message that shows a node labelled {@code probe-<n>}.
 */
public final class DeltaWatcher implements WebSocket.Listener {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final Map<String, Long> seenAt = new ConcurrentHashMap<>();
  private final List<Long> latenciesMicros = new CopyOnWriteArrayList<>();
  public final AtomicLong messages = new AtomicLong();
  public final AtomicLong bytes = new AtomicLong();
  private final StringBuilder text = new StringBuilder();
  private volatile WebSocket socket;
  private volatile JsonNode snapshot;

  public void connect(HttpClient client, URI node, String view, String apiToken) {
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (apiToken != null && !apiToken.isBlank()) {
      builder.header("Authorization", "Bearer " + apiToken);
    }
    socket = builder
        .buildAsync(URI.create("ws://" + node.getAuthority() + "/api/topology/" + view + "/ws"), this).join();
  }

  /** Called with the nanoTime at which the delta with {@code name} was handed to the socket. */
  public void sent(String name, long nanos) {
    Long seen = seenAt.remove(name);
    if (seen != null) {
      latenciesMicros.add(Math.max(0, (seen - nanos) / 1000));
    } else {
      sentAt.put(name, nanos);
    }
  }

  public List<Long> latenciesMicros() {
    return List.copyOf(latenciesMicros);
  }

  public int pending() {
    return sentAt.size();
  }

  public JsonNode snapshot() {
    return snapshot;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      long now = System.nanoTime();
      String message = text.toString();
      text.setLength(0);
      messages.incrementAndGet();
      bytes.addAndGet(message.length());
      if (message.contains("probe-")) {
        try {
          JsonNode json = JSON.readTree(message);
          for (String field : List.of("nodes", "nodesAdded", "nodesUpdated")) {
            for (JsonNode n : json.path(field)) {
              String label = n.path("label").asText();
              if (label.startsWith("probe-")) {
                Long sent = sentAt.remove(label);
                if (sent != null) {
                  latenciesMicros.add(Math.max(0, (now - sent) / 1000));
                } else {
                  seenAt.put(label, now);
                }
              }
            }
          }
        } catch (Exception e) {
          // ignore a message we cannot read
        }
      } else if (snapshot == null && message.startsWith("{\"type\":\"snapshot\"")) {
        try {
          snapshot = JSON.readTree(message);
        } catch (Exception e) {
          // ignore
        }
      }
    }
    webSocket.request(1);
    return null;
  }

  public void close() {
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
  }
}
