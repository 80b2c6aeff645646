package io.portolan.node.docker;

import io.portolan.protocol.Payload;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the agent needs from the Docker Engine. Every method blocks: call it on the blocking
 * dispatcher and bound it with a timeout (the unix-socket transport has no read timeout).
 */
public interface DockerPort extends AutoCloseable {

  /** Ids of all containers, running or not. */
  List<String> containerIds();

  /** The container as the engine describes it, env NOT yet masked; empty when it no longer exists. */
  Optional<Payload.Container> inspect(String id);

  /** The container's main process on this host (0 when not running), from the last {@link #inspect}. */
  default int pidOf(String id) {
    return 0;
  }

  /** One stats sample (one-shot, no 1 s wait inside the engine); empty when the container is gone or not running. */
  Optional<ContainerStats> stats(String id);

  /**
   * Subscribes to container events. {@code onEvent} and {@code onEnd} run on the port's own thread;
   * {@code onEnd} is called once when the stream ends for any reason (engine restart, error, close).
   */
  AutoCloseable events(Consumer<Event> onEvent, Consumer<Throwable> onEnd);

  /** start, stop, restart, pause, unpause, remove. Throws {@link IllegalArgumentException} for others. */
  void control(String id, String action, Map<String, String> args);

  /** Logs, exec, inspect and the archive API for pipes; empty when this port cannot stream (fakes). */
  default Optional<ContainerStreams> streams() {
    return Optional.empty();
  }

  @Override
  void close();

  /** A container event: {@code action} is the engine's word (start, die, health_status: healthy, ...). */
  record Event(String containerId, String action, long timeNanos) {}

  /** Raw counters of one stats sample. CPU times in ns; {@code readAtNanos} is the engine's clock. */
  record ContainerStats(
      long cpuTotalNanos,
      long systemCpuNanos,
      int onlineCpus,
      long memoryUsageBytes,
      long memoryLimitBytes,
      long netRxBytes,
      long netTxBytes,
      long blkReadBytes,
      long blkWriteBytes,
      long pids,
      long readAtMillis) {}
}
