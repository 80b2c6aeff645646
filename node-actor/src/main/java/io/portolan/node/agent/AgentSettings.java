package io.portolan.node.agent;

import com.typesafe.config.Config;
import io.portolan.node.docker.DockerSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Everything the agent reads from {@code portolan.node.agent}, read once. */
public record AgentSettings(
    String agentId,
    String hostId,
    Path procRoot,
    List<URI> cluster,
    String token,
    Duration publishInterval,
    Duration fullReportInterval,
    int maxEntriesPerFrame,
    int maxSamplesPerFrame,
    Duration hostInterval,
    Duration hostFactsInterval,
    Duration processInterval,
    Duration connectionInterval,
    Duration socketScanInterval,
    Duration containerStatsInterval,
    String containerStats,
    Duration containerResyncInterval,
    Duration dockerCallTimeout,
    boolean maskEnv,
    List<String> maskEnvKeys,
    String conntrack,
    Backoff collectorBackoff,
    Backoff reconnect,
    int sendBuffer,
    DockerSettings docker,
    Path truststore,
    String truststorePassword,
    Duration keepAlive,
    Duration deadAfter,
    boolean hostExec) {

  public static final String CONFIG_PATH = "portolan.node.agent";
  public static final String BLOCKING_DISPATCHER = "portolan.node.blocking-dispatcher";
  public static final String DOCKER_DISPATCHER = "portolan.node.docker-dispatcher";
  public static final String AGENT_WS_PATH = "/agent/ws";

  public record Backoff(Duration min, Duration max, double randomFactor) {
    static Backoff of(Config c) {
      return new Backoff(c.getDuration("min"), c.getDuration("max"), c.getDouble("random-factor"));
    }
  }

  /** What a log line may show: the generated record toString would print the token and the trust store password. */
  @Override
  public String toString() {
    return "AgentSettings[agentId=" + agentId + ", hostId=" + hostId + ", procRoot=" + procRoot + ", cluster="
        + cluster + ", token=" + masked(token) + ", conntrack=" + conntrack + ", truststore=" + truststore
        + ", truststorePassword=" + masked(truststorePassword) + ", hostExec=" + hostExec + "]";
  }

  private static String masked(String secret) {
    return secret == null || secret.isEmpty() ? "(none)" : "****";
  }

  public AgentSettings {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(procRoot, "procRoot");
    cluster = List.copyOf(cluster);
    maskEnvKeys = List.copyOf(maskEnvKeys);
    if (maxEntriesPerFrame < 1 || maxSamplesPerFrame < 1) {
      throw new IllegalArgumentException("max-entries-per-frame and max-samples-per-frame must be at least 1");
    }
    if (!List.of("auto", "proc", "tool", "off").contains(conntrack)) {
      throw new IllegalArgumentException("conntrack must be auto, proc, tool or off (was '" + conntrack + "')");
    }
  }

  public static AgentSettings fromConfig(Config root) {
    Config c = root.getConfig(CONFIG_PATH);
    String id = c.getString("agent-id");
    if (id.isBlank()) {
      id = localHostname();
    }
    return new AgentSettings(
        id,
        id,
        Path.of(c.getString("proc-root")),
        c.getStringList("cluster").stream().map(AgentSettings::agentUri).toList(),
        c.getString("token"),
        c.getDuration("publish-interval"),
        c.getDuration("full-report-interval"),
        c.getInt("max-entries-per-frame"),
        c.getInt("max-samples-per-frame"),
        c.getDuration("host-interval"),
        c.getDuration("host-facts-interval"),
        c.getDuration("process-interval"),
        c.getDuration("connection-interval"),
        c.getDuration("socket-scan-interval"),
        c.getDuration("container-stats-interval"),
        c.getString("container-stats"),
        c.getDuration("container-resync-interval"),
        c.getDuration("docker-call-timeout"),
        c.getBoolean("mask-env"),
        c.getStringList("mask-env-keys"),
        c.getString("conntrack"),
        Backoff.of(c.getConfig("collector-backoff")),
        Backoff.of(c.getConfig("reconnect")),
        c.getInt("send-buffer"),
        DockerSettings.fromConfig(root),
        c.getString("truststore").isBlank() ? null : Path.of(c.getString("truststore")),
        c.getString("truststore-password"),
        c.getDuration("keep-alive"),
        c.getDuration("dead-after"),
        c.getBoolean("host-exec"));
  }

  /** {@code ws://a:4040} becomes {@code ws://a:4040/agent/ws}; a full path is kept as given. */
  public static URI agentUri(String address) {
    String a = address.strip();
    if (!a.contains("://")) {
      a = "ws://" + a;
    }
    URI uri = URI.create(a);
    if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
      throw new IllegalArgumentException("cluster address must be ws:// or wss:// (was '" + address + "')");
    }
    if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
      uri = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + AGENT_WS_PATH);
    }
    return uri;
  }

  /** /etc/hostname of this machine, else what the resolver says. */
  static String localHostname() {
    try {
      String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      if (!h.isEmpty()) {
        return h;
      }
    } catch (Exception e) {
      // not Linux: fall through
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  public AgentSettings withCluster(List<URI> uris) {
    return new AgentSettings(agentId, hostId, procRoot, uris, token, publishInterval, fullReportInterval,
        maxEntriesPerFrame, maxSamplesPerFrame, hostInterval, hostFactsInterval, processInterval,
        connectionInterval, socketScanInterval, containerStatsInterval, containerStats, containerResyncInterval, dockerCallTimeout, maskEnv,
        maskEnvKeys, conntrack, collectorBackoff, reconnect, sendBuffer, docker, truststore, truststorePassword, keepAlive, deadAfter,
        hostExec);
  }
}
