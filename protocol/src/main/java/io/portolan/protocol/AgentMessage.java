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
    @JsonSubTypes.Type(value = AgentMessage.ControlReply.class, name = "control-reply")
})
public sealed interface AgentMessage {

  /** First frame on every connection. The token travels in the upgrade request's Authorization header. */
  record Hello(int protocolVersion, String agentId, String hostId, String hostname, String agentVersion)
      implements AgentMessage {}

  /**
   * A full report ({@code full}: every live entry; keys the cluster holds for this host and the report
   * lacks are gone) or a delta (changed entries and tombstones since the previous report).
   */
  record Report(
      int protocolVersion,
      String agentId,
      String hostId,
      long seq,
      boolean full,
      long sentAt,
      List<Entry> entries,
      List<MetricSample> samples) implements AgentMessage {}

  /** The outcome of a {@link ClusterMessage.ControlRequest}. */
  record ControlReply(String requestId, boolean ok, String message, Map<String, String> result)
      implements AgentMessage {}
}
