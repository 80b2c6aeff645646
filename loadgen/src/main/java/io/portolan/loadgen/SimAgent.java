package io.portolan.loadgen;

import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.ClusterMessage;
import io.portolan.protocol.Protocol;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * One simulated agent over a real WebSocket ({@code java.net.http}): connects to
 * {@code ws://<node>/agent/ws} with the bearer token, sends Hello and a full report, then a report
 * every {@link Profile#reportEvery()} (every {@link Profile#fullEvery()}-th one full), answers
 * RequestFullReport with a full report, and reconnects to the next node of its list when the
 * connection drops. Also usable on its own in tests ({@link #send(byte[])} for raw frames).
 */
public final class SimAgent {

  /** Counters shared by a fleet. */
  public static final class Counters {
    public final AtomicLong reportsSent = new AtomicLong();
    public final AtomicLong fullSent = new AtomicLong();
    public final AtomicLong bytesSent = new AtomicLong();
    public final AtomicLong skippedBusy = new AtomicLong();
    public final AtomicLong rejected = new AtomicLong();
    public final AtomicLong fullRequested = new AtomicLong();
    public final AtomicLong connects = new AtomicLong();
    public final AtomicLong disconnects = new AtomicLong();
    public final AtomicLong welcomes = new AtomicLong();
    public final AtomicLong connectErrors = new AtomicLong();
  }

  private final SimHost host;
  private final List<URI> nodes;
  private final String token;
  private final HttpClient client;
  private final ScheduledExecutorService scheduler;
  private final Counters counters;
  private final java.util.concurrent.ConcurrentLinkedQueue<ClusterMessage> received =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile WebSocket socket;
  private volatile CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
  private volatile boolean fullNext = true;
  private volatile boolean running = true;
  private volatile String probeName;
  private volatile LongConsumer probeSent;
  private volatile int closeCode = -1;
  private int nodeIndex;
  private long reports;

  public SimAgent(SimHost host, List<URI> nodes, int firstNode, String token, HttpClient client,
      ScheduledExecutorService scheduler, Counters counters) {
    this.host = host;
    this.nodes = nodes;
    this.nodeIndex = firstNode;
    this.token = token;
    this.client = client;
    this.scheduler = scheduler;
    this.counters = counters;
  }

  public SimHost host() {
    return host;
  }

  /** Connects and starts reporting every {@code profile.reportEvery()} after {@code initialDelay}. */
  public void start(Profile profile, Duration initialDelay) {
    connect();
    scheduler.scheduleAtFixedRate(() -> tick(profile), initialDelay.toMillis(), profile.reportEvery().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Connects without a reporting schedule (tests drive {@link #sendReport} themselves). */
  public CompletableFuture<WebSocket> connect() {
    URI node = nodes.get(Math.floorMod(nodeIndex, nodes.size()));
    URI uri = URI.create("ws://" + node.getAuthority() + "/agent/ws");
    fullNext = true;
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder.buildAsync(uri, new Listener()).whenComplete((ws, error) -> {
      if (error != null) {
        if (counters.connectErrors.incrementAndGet() <= 3) {
          System.err.println("loadgen: " + host.agentId() + " could not connect to " + uri + ": " + error);
        }
        retryLater();
        return;
      }
      counters.connects.incrementAndGet();
      socket = ws;
      lastSend = CompletableFuture.completedFuture(null);
      send(Protocol.encode(host.hello()));
    });
  }

  /** The URI (ws) of the node the agent uses now. */
  public URI currentNode() {
    return nodes.get(Math.floorMod(nodeIndex, nodes.size()));
  }

  private void retryLater() {
    if (!running) {
      return;
    }
    socket = null;
    nodeIndex++;
    scheduler.schedule(this::connect, 1, TimeUnit.SECONDS);
  }

  private void tick(Profile profile) {
    if (!running || socket == null) {
      return;
    }
    if (!lastSend.isDone()) {
      counters.skippedBusy.incrementAndGet();
      return;
    }
    boolean full = fullNext || reports % profile.fullEvery() == 0;
    sendReport(full);
  }

  /** Sends the next report now (full or delta); the probe name, if set, goes into this delta. */
  public synchronized void sendReport(boolean full) {
    reports++;
    String probe = probeName;
    LongConsumer onSent = probeSent;
    byte[] bytes;
    if (full) {
      fullNext = false;
      bytes = Protocol.encode(host.full());
      counters.fullSent.incrementAndGet();
    } else {
      // Most deltas only carry fresh metric values: a pre-encoded frame with the values patched in.
      bytes = host.metricOnlyDeltaFrame(probe);
      if (bytes == null) {
        bytes = Protocol.encode(host.changedDelta(probe, System.currentTimeMillis()));
      }
      if (probe != null) {
        probeName = null;
        probeSent = null;
      }
    }
    CompletableFuture<?> sent = send(bytes);
    counters.reportsSent.incrementAndGet();
    if (probe != null && !full && onSent != null) {
      long at = System.nanoTime();
      sent.thenRun(() -> onSent.accept(at));
    }
  }

  /** Renames container 0 to {@code name} in the next delta; {@code onSent} gets the send time (nanoTime). */
  public void probe(String name, LongConsumer onSent) {
    this.probeSent = onSent;
    this.probeName = name;
  }

  /** Sends one binary frame (after the previous one). */
  public synchronized CompletableFuture<?> send(byte[] frame) {
    WebSocket ws = socket;
    if (ws == null) {
      return CompletableFuture.completedFuture(null);
    }
    counters.bytesSent.addAndGet(frame.length);
    CompletableFuture<?> next = lastSend.handle((x, e) -> null)
        .thenCompose(x -> ws.sendBinary(ByteBuffer.wrap(frame), true));
    lastSend = next;
    return next;
  }

  public boolean isConnected() {
    return socket != null;
  }

  /** The close code the server sent, or -1. */
  public int closeCode() {
    return closeCode;
  }

  /** Messages from the cluster so far (Welcome, Rejected, RequestFullReport, ...). */
  public List<ClusterMessage> received() {
    return List.copyOf(received);
  }

  public void stop() {
    running = false;
    WebSocket ws = socket;
    socket = null;
    if (ws != null) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "loadgen done").exceptionally(e -> null);
    }
  }

  /** Drops the connection without a close frame (as a crashed agent would), and stops. */
  public void abort() {
    running = false;
    WebSocket ws = socket;
    socket = null;
    if (ws != null) {
      ws.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      buffer.write(chunk, 0, chunk.length);
      if (last) {
        byte[] frame = buffer.toByteArray();
        buffer.reset();
        try {
          ClusterMessage message = Protocol.decodeClusterMessage(frame);
          received.add(message);
          if (message instanceof ClusterMessage.RequestFullReport) {
            counters.fullRequested.incrementAndGet();
            fullNext = true;
          } else if (message instanceof ClusterMessage.Rejected) {
            counters.rejected.incrementAndGet();
          } else if (message instanceof ClusterMessage.Welcome) {
            counters.welcomes.incrementAndGet();
          }
        } catch (Exception e) {
          // not ours to judge here
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode = statusCode;
      counters.disconnects.incrementAndGet();
      retryLater();
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      counters.disconnects.incrementAndGet();
      retryLater();
    }
  }
}
