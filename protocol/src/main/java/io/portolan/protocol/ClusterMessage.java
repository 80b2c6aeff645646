package io.portolan.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;

/** Cluster → agent, on the same connection. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ClusterMessage.Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = ClusterMessage.Rejected.class, name = "rejected"),
    @JsonSubTypes.Type(value = ClusterMessage.RequestFullReport.class, name = "request-full-report"),
    @JsonSubTypes.Type(value = ClusterMessage.ControlRequest.class, name = "control"),
    @JsonSubTypes.Type(value = ClusterMessage.PipeOpen.class, name = "pipe-open"),
    @JsonSubTypes.Type(value = ClusterMessage.PipeInput.class, name = "pipe-input"),
    @JsonSubTypes.Type(value = ClusterMessage.PipeResize.class, name = "pipe-resize"),
    @JsonSubTypes.Type(value = ClusterMessage.PipeCredit.class, name = "pipe-credit"),
    @JsonSubTypes.Type(value = ClusterMessage.PipeClose.class, name = "pipe-close")
})
public sealed interface ClusterMessage {

  record Welcome(int protocolVersion, String clusterNode) implements ClusterMessage {}

  /** A frame the cluster refused; nothing already merged is affected. {@code fatal}: the connection closes. */
  record Rejected(String reason, long seq, boolean fatal) implements ClusterMessage {}

  /** The cluster lost this host's state (entity moved or restarted) and needs a full report now. */
  record RequestFullReport(String reason) implements ClusterMessage {}

  /** Run {@code action} on {@code targetKey} (an {@link Entry} key), e.g. {@code stop} a container. */
  record ControlRequest(String requestId, String targetKey, String action, Map<String, String> args)
      implements ClusterMessage {}

  /**
   * Opens a pipe: a stream between one API client and the agent, e.g. a container's logs or an exec
   * session. {@code kind}: logs, exec, host-exec, inspect, env, ls, download; {@code targetKey}: an
   * {@link Entry} key (a container, or the host for host-exec); {@code args}: the kind's options.
   * The agent sends {@link AgentMessage.PipeData} only while it holds credit ({@link PipeCredit})
   * and ends every pipe with one {@link AgentMessage.PipeClosed}.
   */
  record PipeOpen(String pipeId, String kind, String targetKey, Map<String, String> args) implements ClusterMessage {
    public static final java.util.Set<String> KINDS =
        java.util.Set.of("logs", "exec", "host-exec", "inspect", "env", "ls", "download");
  }

  /** Bytes for the pipe's stdin (exec). */
  record PipeInput(String pipeId, byte[] bytes) implements ClusterMessage {
    @Override
    public boolean equals(Object o) {
      return o instanceof PipeInput i && java.util.Objects.equals(pipeId, i.pipeId)
          && java.util.Arrays.equals(bytes, i.bytes);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hashCode(pipeId) * 31 + java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "PipeInput[" + pipeId + ", " + (bytes == null ? 0 : bytes.length) + " bytes]";
    }
  }

  /** The client's terminal size changed (exec with a TTY). */
  record PipeResize(String pipeId, int cols, int rows) implements ClusterMessage {}

  /**
   * Credit for a pipe. {@code granted} is the running total of chunks the client has granted since
   * the pipe opened (the agent may have sent that many {@link AgentMessage.PipeData} in all); the
   * client re-sends it every second, so a lost or reordered credit message cannot stall a pipe and a
   * repeated one grants nothing twice. {@code n} is the increment of this message (informational; an
   * older client that sends only {@code n} has {@code granted} 0, and the agent then adds {@code n}).
   */
  record PipeCredit(String pipeId, int n, long granted) implements ClusterMessage {}

  /** The client went away: stop the pipe (kill the exec, stop reading logs) and answer PipeClosed. */
  record PipeClose(String pipeId) implements ClusterMessage {}
}
