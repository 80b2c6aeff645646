package io.portolan.node.link;

import io.portolan.node.docker.ContainerStreams;
import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.ClusterMessage;
import io.portolan.protocol.Keys;
import io.portolan.protocol.Protocol;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's open pipes (logs, exec, host exec, inspect, env, file listing and download), driven
 * by {@link ClusterLink}: it hands over every pipe message, and {@code send} puts encoded
 * {@link AgentMessage.PipeData} / {@link AgentMessage.PipeClosed} frames on the link.
 *
 * <p>Flow control: each pipe runs on its own daemon thread (at most {@link #MAX_PIPES}) and holds
 * credits granted by the cluster ({@link ClusterMessage.PipeCredit}, a running total re-sent every
 * second: see {@link PipeCredits}). Sending a chunk takes one credit; without credit the thread waits, so it stops reading the engine's response and the
 * engine (and the container's log file) buffers instead of this JVM. A pipe without credit for
 * {@link #STALL_LIMIT_MS} is closed (its client is gone or stuck). Exec input goes through a bounded
 * queue; input beyond it is dropped with a warning (a human cannot type that fast). Log output is
 * batched by a {@link Coalescer} ({@link #LOG_LINGER} or 32 KiB per chunk). Host exec runs only on
 * an agent whose settings allow it ({@code AgentSettings#hostExec}, off by default); otherwise it ends
 * at once with a 403.
 *
 * <p>Exec sessions end when the client closes ({@link ClusterMessage.PipeClose}): stdin is closed,
 * the engine connection is closed, and if the exec still runs its process tree is killed by host pid
 * (the engine's exec inspect names it; this needs the agent in the host's pid namespace, as the
 * DaemonSet runs it, otherwise the process is only detached).
 */
final class Pipes {

  private static final Logger log = LoggerFactory.getLogger(Pipes.class);
  static final int MAX_PIPES = 64;
  static final long STALL_LIMIT_MS = 10 * 60 * 1000;
  private static final int INPUT_QUEUE = 1024;
  /** How long a log chunk waits for more lines before it is sent (or until it holds 32 KiB). */
  static final Duration LOG_LINGER = Duration.ofMillis(20);

  private final ContainerStreams docker;
  private final Consumer<byte[]> send;
  private final Executor blocking;
  private final List<String> secretWords;
  private final boolean hostExec;
  private final Map<String, Pipe> pipes = new ConcurrentHashMap<>();

  /**
   * {@code docker}: null when the engine is not reachable through the HTTP port (pipes then fail).
   * {@code hostExec}: whether this agent runs shells on its host at all (the node checks the role).
   */
  Pipes(ContainerStreams docker, Consumer<byte[]> send, Executor blocking, List<String> secretWords,
      boolean hostExec) {
    this.docker = docker;
    this.send = send;
    this.blocking = blocking;
    this.secretWords = secretWords;
    this.hostExec = hostExec;
  }

  void onMessage(ClusterMessage m) {
    if (m instanceof ClusterMessage.PipeOpen open) {
      open(open);
    } else if (m instanceof ClusterMessage.PipeCredit c) {
      Pipe p = pipes.get(c.pipeId());
      if (p != null) {
        p.credits.grant(c.n(), c.granted());
      }
    } else if (m instanceof ClusterMessage.PipeInput in) {
      Pipe p = pipes.get(in.pipeId());
      if (p != null && in.bytes() != null && !p.input.offer(in.bytes())) {
        log.warn("pipe {}: input queue full, dropping {} bytes", in.pipeId(), in.bytes().length);
      }
    } else if (m instanceof ClusterMessage.PipeResize r) {
      Pipe p = pipes.get(r.pipeId());
      if (p != null && r.cols() > 0 && r.rows() > 0 && r.cols() < 10_000 && r.rows() < 10_000) {
        blocking.execute(() -> p.resize(r.cols(), r.rows()));
      }
    } else if (m instanceof ClusterMessage.PipeClose c) {
      Pipe p = pipes.get(c.pipeId());
      if (p != null) {
        p.close();
      }
    }
  }

  /** The link went down: the cluster has already ended these pipes; stop them. */
  void closeAll() {
    pipes.values().forEach(Pipe::close);
  }

  private void open(ClusterMessage.PipeOpen open) {
    if (open.pipeId() == null || open.pipeId().isBlank() || pipes.containsKey(open.pipeId())) {
      return;
    }
    if (pipes.size() >= MAX_PIPES) {
      closed(open.pipeId(), null, "503 this agent already runs " + MAX_PIPES + " log, exec and file sessions");
      return;
    }
    if (!ClusterMessage.PipeOpen.KINDS.contains(open.kind())) {
      closed(open.pipeId(), null, "400 unknown pipe kind '" + open.kind() + "'");
      return;
    }
    if (open.kind().equals("host-exec") && !hostExec) {
      closed(open.pipeId(), null, "403 host exec is off on this agent; start the agent with --allow-host-exec"
          + " (or PORTOLAN_AGENT_HOST_EXEC=true, or portolan.node.agent.host-exec = true) to allow shells on its host");
      return;
    }
    if (docker == null && !open.kind().equals("host-exec")) {
      closed(open.pipeId(), null, "503 this agent has no Docker engine connection");
      return;
    }
    Pipe pipe = new Pipe(open);
    pipes.put(open.pipeId(), pipe);
    Thread t = new Thread(pipe::run, "portolan-pipe-" + open.kind() + "-" + open.pipeId());
    t.setDaemon(true);
    pipe.thread = t;
    t.start();
  }

  private void closed(String pipeId, Integer exitCode, String error) {
    send.accept(Protocol.encode(new AgentMessage.PipeClosed(pipeId, exitCode, error)));
  }

  private final class Pipe implements ContainerStreams.Out {
    final ClusterMessage.PipeOpen open;
    final Map<String, String> args;
    final PipeCredits credits = new PipeCredits();
    final BlockingQueue<byte[]> input = new ArrayBlockingQueue<>(INPUT_QUEUE);
    volatile boolean closed;
    volatile Closeable held;
    volatile Thread thread;
    volatile String execId;
    volatile HostShell hostShell;

    Pipe(ClusterMessage.PipeOpen open) {
      this.open = open;
      this.args = open.args() == null ? Map.of() : open.args();
    }

    void run() {
      Integer exit = null;
      String error = null;
      try {
        exit = work();
      } catch (ContainerStreams.PipeException e) {
        error = e.status() + " " + e.getMessage();
      } catch (Exception e) {
        if (!closed) {
          error = "502 " + (e.getMessage() == null ? e.toString() : e.getMessage());
          log.info("pipe {} ({}) failed: {}", open.pipeId(), open.kind(), e.toString());
        }
      } finally {
        if (execId != null && closed) {
          killExec();
        }
        pipes.remove(open.pipeId());
        closed(open.pipeId(), exit, error);
      }
    }

    private Integer work() throws Exception {
      if (open.kind().equals("host-exec")) {
        HostShell shell = HostShell.start(args.getOrDefault("cmd", "/bin/sh"), intArg("cols"), intArg("rows"));
        hostShell = shell;
        hold(shell);
        Thread writer = new Thread(() -> pump(shell.stdin()), "portolan-pipe-input-" + open.pipeId());
        writer.setDaemon(true);
        writer.start();
        try {
          ContainerStreamsRaw.copy(shell.stdout(), this);
        } catch (IOException e) {
          if (!closed) {
            throw e;
          }
        }
        return shell.exitCode();
      }
      String id = Keys.kindOf(open.targetKey()).equals("container")
          ? open.targetKey().substring("container:".length()) : null;
      if (id == null || id.isBlank()) {
        throw new ContainerStreams.PipeException(400, "pipe '" + open.kind() + "' needs a container target");
      }
      boolean unmasked = Boolean.parseBoolean(args.getOrDefault("unmasked", "false"));
      switch (open.kind()) {
        case "logs" -> {
          // Many short lines become one chunk per linger period (see Coalescer).
          try (Coalescer batched = new Coalescer(this, ContainerStreams.CHUNK, LOG_LINGER,
              "portolan-pipe-send-" + open.pipeId())) {
            docker.logs(id, args, batched);
            batched.finish();
          }
        }
        case "inspect" -> chunked(docker.inspect(id, unmasked, secretWords));
        case "env" -> chunked(docker.envJson(id, unmasked, secretWords));
        case "ls" -> chunked(docker.list(id, args.getOrDefault("path", "/")));
        case "download" -> docker.download(id, args.getOrDefault("path", ""), this);
        case "exec" -> {
          return exec(id);
        }
        default -> throw new ContainerStreams.PipeException(400, "unknown pipe kind '" + open.kind() + "'");
      }
      return null;
    }

    private Integer exec(String id) throws Exception {
      List<String> cmd = Arrays.asList(args.getOrDefault("cmd", "sh").trim().split("\\s+"));
      ContainerStreams.Exec exec = docker.exec(id, cmd, new QueueInput());
      execId = exec.execId();
      hold(exec.response());
      int cols = intArg("cols");
      int rows = intArg("rows");
      if (cols > 0 && rows > 0) {
        blocking.execute(() -> resize(cols, rows));
      }
      try (var r = exec.response(); InputStream out = r.getBody()) {
        ContainerStreamsRaw.copy(out, this);
      } catch (IOException e) {
        if (!closed) {
          throw e;
        }
      }
      if (closed) {
        return null;
      }
      for (int i = 0; i < 20; i++) {
        ContainerStreams.ExecState s = docker.execState(execId);
        if (!s.running()) {
          return s.exitCode();
        }
        Thread.sleep(50);
      }
      return null;
    }

    void resize(int cols, int rows) {
      try {
        if (hostShell != null) {
          hostShell.resize(cols, rows);
        } else if (execId != null) {
          docker.resizeExec(execId, cols, rows);
        }
      } catch (RuntimeException e) {
        log.debug("pipe {}: resize failed: {}", open.pipeId(), e.getMessage());
      }
    }

    private void killExec() {
      try {
        ContainerStreams.ExecState s = docker.execState(execId);
        if (s.running() && s.pid() > 0) {
          ProcessHandle.of(s.pid()).ifPresent(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
          });
          log.info("pipe {}: killed exec {} (host pid {}) after its client left", open.pipeId(), execId, s.pid());
        }
      } catch (RuntimeException e) {
        log.info("pipe {}: could not stop exec {}: {}", open.pipeId(), execId, e.getMessage());
      }
    }

    private int intArg(String name) {
      try {
        return Integer.parseInt(args.getOrDefault(name, "0"));
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    private void chunked(byte[] bytes) throws IOException {
      for (int off = 0; off < bytes.length; off += ContainerStreams.CHUNK) {
        send("data", bytes, off, Math.min(ContainerStreams.CHUNK, bytes.length - off));
      }
    }

    private void pump(java.io.OutputStream stdin) {
      try (stdin) {
        while (!closed) {
          byte[] b = input.poll(200, TimeUnit.MILLISECONDS);
          if (b != null) {
            stdin.write(b);
            stdin.flush();
          }
        }
      } catch (IOException | InterruptedException e) {
        // the shell went away
      }
    }

    @Override
    public void send(String stream, byte[] bytes, int offset, int length) throws IOException {
      long waitedSince = System.currentTimeMillis();
      try {
        while (!credits.tryAcquire(200, TimeUnit.MILLISECONDS)) {
          if (closed) {
            throw new InterruptedIOException("pipe closed");
          }
          if (System.currentTimeMillis() - waitedSince > STALL_LIMIT_MS) {
            throw new ContainerStreams.PipeException(408, "the client took no output for "
                + STALL_LIMIT_MS / 60_000 + " minutes; closing");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("pipe closed");
      }
      if (closed) {
        throw new InterruptedIOException("pipe closed");
      }
      send.accept(Protocol.encode(new AgentMessage.PipeData(open.pipeId(), stream,
          Arrays.copyOfRange(bytes, offset, offset + length))));
    }

    @Override
    public void hold(Closeable resource) throws IOException {
      held = resource;
      if (closed) {
        resource.close();
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      input.offer(new byte[0]);
      Closeable c = held;
      if (c != null) {
        // Never on the caller's (the link actor's) thread: closing a chunked engine response may read
        // the rest of it first.
        Thread closer = new Thread(() -> {
          try {
            c.close();
          } catch (IOException | RuntimeException e) {
            // closing is best effort
          }
        }, "portolan-pipe-close-" + open.pipeId());
        closer.setDaemon(true);
        closer.start();
      }
    }

    /** The exec's stdin: blocks on the input queue; an empty chunk or close ends it. */
    private final class QueueInput extends InputStream {
      private byte[] current = new byte[0];
      private int pos;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        while (pos >= current.length) {
          if (closed) {
            return -1;
          }
          try {
            byte[] next = input.poll(200, TimeUnit.MILLISECONDS);
            if (next != null) {
              if (next.length == 0 && closed) {
                return -1;
              }
              current = next;
              pos = 0;
            }
          } catch (InterruptedException e) {
            return -1;
          }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
      }
    }
  }

  /** Raw copy without a multiplexed header (a TTY's output). */
  private static final class ContainerStreamsRaw {
    static void copy(InputStream in, ContainerStreams.Out out) throws IOException {
      byte[] buf = new byte[ContainerStreams.CHUNK];
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (n > 0) {
          out.send("stdout", buf, 0, n);
        }
      }
    }
  }
}
