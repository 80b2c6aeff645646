package io.portolan.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test WebSocket client: binary frames appended to one output buffer; text frames in a queue, split
 * at "\n" (a log frame carries several lines, one JSON object each; other frames have no raw newline).
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

  private static final HttpClient client = HttpClient.newHttpClient();

  public final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  /** Every text frame received, in order (the benchmark does not keep them: see {@link #keepAll}). */
  public final java.util.List<String> all = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  public volatile boolean keepAll = true;
  private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
  private final StringBuilder partText = new StringBuilder();
  private final ByteArrayOutputStream partBinary = new ByteArrayOutputStream();
  public final CompletableFuture<Integer> closed = new CompletableFuture<>();
  public volatile long textFrames;
  /** Text lines received ("\n"-separated parts of the text frames). */
  public volatile long textLines;
  private WebSocket ws;
  /** While paused the client reads nothing more (a stuck browser tab); see {@link #pause}. */
  private volatile boolean paused;
  private volatile boolean owed;

  public static WsClient open(String url, String token) throws Exception {
    WsClient c = new WsClient();
    WebSocket.Builder b = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    c.ws = b.buildAsync(URI.create(url.replaceFirst("^http", "ws")), c).get(10, TimeUnit.SECONDS);
    return c;
  }

  /** Manual flow control: the client asks for frames itself (for backpressure tests). */
  public WebSocket socket() {
    return ws;
  }

  /** Stops reading: no more frames are requested, so TCP and the server's flow control hold them back. */
  public void pause() {
    paused = true;
  }

  /** Reads again. */
  public void resume() {
    paused = false;
    if (owed) {
      owed = false;
      ws.request(1);
    }
  }

  private void next(WebSocket webSocket) {
    if (paused) {
      owed = true;
    } else {
      webSocket.request(1);
    }
  }

  public void send(String text) {
    ws.sendText(text, true).join();
  }

  public void sendBinary(byte[] bytes) {
    ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  public synchronized String output() {
    return binary.toString(StandardCharsets.UTF_8);
  }

  /** Waits until the binary output satisfies {@code p}. */
  public String awaitOutput(Predicate<String> p, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String out = output();
      if (p.test(out)) {
        return out;
      }
      HttpCalls.sleep(20);
    }
    throw new AssertionError("output did not match in " + timeout + "; got: " + output());
  }

  public String awaitText(Predicate<String> p, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String t = texts.poll(50, TimeUnit.MILLISECONDS);
      if (t != null && p.test(t)) {
        return t;
      }
    }
    throw new AssertionError("no matching text frame in " + timeout);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partText.append(data);
    if (last) {
      long n = 0;
      for (String line : partText.toString().split("\n")) {
        if (keepAll) {
          texts.add(line);
          all.add(line);
        }
        n++;
      }
      textLines += n;
      textFrames++;
      partText.setLength(0);
    }
    next(webSocket);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    synchronized (this) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      binary.write(b, 0, b.length);
    }
    next(webSocket);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }

  @Override
  public void close() {
    if (!ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    ws.abort();
  }
}
