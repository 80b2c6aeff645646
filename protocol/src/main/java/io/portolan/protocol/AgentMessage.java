package io.portolan.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/** Agent → cluster, one per WebSocket binary frame (CBOR). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AgentMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = AgentMessage.Report.class, name = "report"),
    @JsonSubTypes.Type(value = AgentMessage.ControlReply.class, name = "control-reply"),
    @JsonSubTypes.Type(value = AgentMessage.PipeData.class, name = "pipe-data"),
    @JsonSubTypes.Type(value = AgentMessage.PipeClosed.class, name = "pipe-closed")
})
public sealed interface AgentMessage {

  /**
   * First frame on every connection. The token travels in the upgrade request's Authorization header.
   * {@code capabilities}: what this agent was allowed to do beyond reporting and container controls
   * ({@link #HOST_EXEC}); null from agents older than the field, which the cluster then lets decide.
   */
  record Hello(int protocolVersion, String agentId, String hostId, String hostname, String agentVersion,
      List<String> capabilities) implements AgentMessage {

    /** Shells on the agent's host ({@code --allow-host-exec}). */
    public static final String HOST_EXEC = "host-exec";

    /** A Hello that does not say what the agent may do. */
    public Hello(int protocolVersion, String agentId, String hostId, String hostname, String agentVersion) {
      this(protocolVersion, agentId, hostId, hostname, agentVersion, null);
    }
  }

  /**
   * A full report ({@code full}: every live entry; keys the cluster holds for this host and the report
   * lacks are gone) or a delta (changed entries and tombstones since the previous report). Metric
   * samples come as {@code samples} (one object each) or, cheaper to encode and decode, as the
   * columns of {@code metrics}; a report may carry both, and either may be null.
   */
  record Report(
      int protocolVersion,
      String agentId,
      String hostId,
      long seq,
      boolean full,
      long sentAt,
      List<Entry> entries,
      List<MetricSample> samples,
      MetricBatch metrics) implements AgentMessage {

    /** A report with its samples as a list (and no columnar batch). */
    public Report(int protocolVersion, String agentId, String hostId, long seq, boolean full, long sentAt,
        List<Entry> entries, List<MetricSample> samples) {
      this(protocolVersion, agentId, hostId, seq, full, sentAt, entries, samples, null);
    }

    /** Samples in {@code samples} and {@code metrics} together. */
    public int sampleCount() {
      return (samples == null ? 0 : samples.size()) + (metrics == null ? 0 : metrics.size());
    }
  }

  /** The outcome of a {@link ClusterMessage.ControlRequest}. */
  record ControlReply(String requestId, boolean ok, String message, Map<String, String> result)
      implements AgentMessage {}

  /**
   * A chunk of a pipe's output (see {@link ClusterMessage.PipeOpen}); each costs the pipe one credit.
   * {@code stream}: stdout, stderr (logs, exec) or data (inspect, env, ls, download).
   */
  record PipeData(String pipeId, String stream, byte[] bytes) implements AgentMessage {
    @Override
    public boolean equals(Object o) {
      return o instanceof PipeData d && java.util.Objects.equals(pipeId, d.pipeId)
          && java.util.Objects.equals(stream, d.stream) && java.util.Arrays.equals(bytes, d.bytes);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(pipeId, stream) * 31 + java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "PipeData[" + pipeId + ", " + stream + ", " + (bytes == null ? 0 : bytes.length) + " bytes]";
    }
  }

  /**
   * The pipe ended: {@code exitCode} of an exec (null otherwise), {@code error} null when it ended
   * normally (the container's message, e.g. "no such file", otherwise). Always the pipe's last frame.
   */
  record PipeClosed(String pipeId, Integer exitCode, String error) implements AgentMessage {}
}
