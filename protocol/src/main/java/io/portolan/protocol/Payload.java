package io.portolan.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * What an {@link Entry} describes: one host, container, process or connection. Each kind is a plain
 * record; a new kind is one more record here and one line in {@link JsonSubTypes}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Payload.Host.class, name = "host"),
    @JsonSubTypes.Type(value = Payload.Container.class, name = "container"),
    @JsonSubTypes.Type(value = Payload.Process.class, name = "process"),
    @JsonSubTypes.Type(value = Payload.Connection.class, name = "connection")
})
public sealed interface Payload {

  /** The host the agent runs on. Key: {@code host:<hostId>}. */
  record Host(
      String hostname,
      List<NetInterface> interfaces,
      String os,
      String kernel,
      String arch,
      int cores,
      long memoryTotalBytes,
      List<Mount> mounts,
      double load1,
      double load5,
      double load15,
      long uptimeSeconds) implements Payload {}

  record NetInterface(String name, List<String> addresses) {}

  record Mount(String path, String device, String fsType, long totalBytes, long usedBytes) {}

  /** A container from the engine API. Key: {@code container:<full id>}. Env values are already masked. */
  record Container(
      String id,
      String name,
      String image,
      String imageId,
      String state,
      long createdAt,
      long startedAt,
      Map<String, String> labels,
      Map<String, String> env,
      List<Port> ports,
      List<String> mounts,
      Map<String, String> networks,
      String networkMode,
      int restartCount,
      String health,
      long memoryLimitBytes,
      double cpuLimit) implements Payload {}

  record Port(String ip, int privatePort, int publicPort, String protocol) {}

  /** A process from /proc. Key: {@code process:<hostId>;<pid>}. */
  record Process(
      int pid,
      int ppid,
      String name,
      String cmdline,
      int uid,
      String user,
      String cwd,
      String state,
      int threads,
      String containerId) implements Payload {}

  /**
   * A connection (or a group of identical ones) seen from this host. Key:
   * {@code connection:<hostId>;<proto>;<local>;<remote>}. {@code outbound} is true when this host's
   * side is the client.
   */
  record Connection(
      String protocol,
      String localAddress,
      int localPort,
      String remoteAddress,
      int remotePort,
      boolean outbound,
      int pid,
      String containerId,
      int count,
      String source) implements Payload {}
}
