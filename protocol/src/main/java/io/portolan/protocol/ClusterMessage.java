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
    @JsonSubTypes.Type(value = ClusterMessage.ControlRequest.class, name = "control")
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
}
