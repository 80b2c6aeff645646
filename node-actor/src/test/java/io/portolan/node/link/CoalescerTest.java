package io.portolan.node.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portolan.node.docker.ContainerStreams;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoalescerTest {

  private record Chunk(String stream, String text) {}

  /** Records chunks; optionally blocks every send until released (a pipe without credit). */
  private static final class Recorder implements ContainerStreams.Out {
    final List<Chunk> chunks = new CopyOnWriteArrayList<>();
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile IOException fail;

    @Override
    public void send(String stream, byte[] bytes, int offset, int length) throws IOException {
      try {
        gate.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      if (fail != null) {
        throw fail;
      }
      chunks.add(new Chunk(stream, new String(bytes, offset, length, StandardCharsets.UTF_8)));
    }

    @Override
    public void hold(Closeable resource) {}
  }

  private static void line(Coalescer c, String stream, String text) throws IOException {
    byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
    c.send(stream, b, 0, b.length);
  }

  @Test
  void linesWithinTheLingerGoAsOneChunk() throws Exception {
    Recorder out = new Recorder();
    try (Coalescer c = new Coalescer(out, 32 * 1024, Duration.ofMillis(200), "test")) {
      for (int i = 0; i < 100; i++) {
        line(c, "stdout", "line " + i);
      }
      c.finish();
    }
    assertThat(out.chunks).hasSize(1);
    assertThat(out.chunks.get(0).text()).startsWith("line 0\nline 1\n").endsWith("line 99\n");
  }

  @Test
  void theLingerSendsWithoutMoreInput() throws Exception {
    Recorder out = new Recorder();
    try (Coalescer c = new Coalescer(out, 32 * 1024, Duration.ofMillis(20), "test")) {
      long t0 = System.nanoTime();
      line(c, "stdout", "alone");
      while (out.chunks.isEmpty() && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2)) {
        Thread.sleep(1);
      }
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(out.chunks).containsExactly(new Chunk("stdout", "alone\n"));
      assertThat(waited).isBetween(15L, 500L);
    }
  }

  @Test
  void aFullBufferAndAChangeOfStreamSendAtOnce() throws Exception {
    Recorder out = new Recorder();
    try (Coalescer c = new Coalescer(out, 10, Duration.ofSeconds(30), "test")) {
      byte[] twelve = "abcdefghijkl".getBytes(StandardCharsets.UTF_8);
      c.send("stdout", twelve, 0, twelve.length);
      line(c, "stderr", "E");
      c.finish();
    }
    assertThat(out.chunks).containsExactly(new Chunk("stdout", "abcdefghij"), new Chunk("stdout", "kl"),
        new Chunk("stderr", "E\n"));
  }

  @Test
  void withoutCreditTheReaderIsHeldBackAfterOneBuffer() throws Exception {
    Recorder out = new Recorder();
    out.gate = new CountDownLatch(1);
    try (Coalescer c = new Coalescer(out, 16, Duration.ofMillis(1), "test")) {
      CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
        try {
          for (int i = 0; i < 10; i++) {
            line(c, "stdout", "0123456");
          }
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      Thread.sleep(300);
      // one chunk in the blocked downstream, one full buffer; the rest waits in the reader
      assertThat(reader).isNotDone();
      assertThat(out.chunks).isEmpty();
      out.gate.countDown();
      reader.get(5, TimeUnit.SECONDS);
      c.finish();
    }
    assertThat(String.join("", out.chunks.stream().map(Chunk::text).toList())).isEqualTo("0123456\n".repeat(10));
  }

  @Test
  void aDownstreamFailureReachesTheReader() throws Exception {
    Recorder out = new Recorder();
    out.fail = new IOException("pipe closed");
    try (Coalescer c = new Coalescer(out, 8, Duration.ofMillis(1), "test")) {
      assertThatThrownBy(() -> {
        for (int i = 0; i < 100; i++) {
          line(c, "stdout", "xxxxxxx");
          Thread.sleep(2);
        }
      }).isInstanceOf(IOException.class).hasMessage("pipe closed");
      assertThat(c.awaitSenderEnd(2, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void closeStopsTheSender() throws Exception {
    Recorder out = new Recorder();
    Coalescer c = new Coalescer(out, 1024, Duration.ofSeconds(30), "test");
    line(c, "stdout", "dropped");
    c.close();
    assertThat(c.awaitSenderEnd(2, TimeUnit.SECONDS)).isTrue();
    assertThat(out.chunks).isEmpty();
    assertThatThrownBy(() -> line(c, "stdout", "late")).isInstanceOf(IOException.class);
  }
}
