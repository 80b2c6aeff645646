package io.portolan.node.kubernetes;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/** Everything read from {@code portolan.node.kubernetes} (defaults in {@code kubernetes.conf}), read once. */
public record KubernetesSettings(
    boolean enabled,
    String clusterName,
    String kubeconfig,
    String context,
    String identity,
    String leaseNamespace,
    String leaseName,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    Duration resync,
    long listPageSize,
    Duration pollInterval,
    int maxEvents,
    int logMaxTailLines,
    int logMaxBytes,
    Duration callTimeout) {

  public static final String CONFIG_PATH = "portolan.node.kubernetes";

  public KubernetesSettings {
    Objects.requireNonNull(clusterName, "clusterName");
    if (clusterName.isBlank() || clusterName.contains("/")) {
      throw new IllegalArgumentException("portolan.node.kubernetes.cluster-name must be non-empty and without '/' (was '"
          + clusterName + "')");
    }
    if (!renewDeadline.minus(leaseDuration).isNegative() || !retryPeriod.minus(renewDeadline).isNegative()) {
      throw new IllegalArgumentException("lease: need retry-period < renew-deadline < duration (got " + retryPeriod
          + ", " + renewDeadline + ", " + leaseDuration + ")");
    }
  }

  public static KubernetesSettings fromConfig(Config root) {
    Config c = root.withFallback(ConfigFactory.parseResources(KubernetesSettings.class.getClassLoader(),
        "kubernetes.conf")).resolve().getConfig(CONFIG_PATH);
    String identity = c.getString("identity");
    if (identity.isBlank()) {
      identity = hostname();
    }
    return new KubernetesSettings(
        c.getBoolean("enabled"),
        c.getString("cluster-name"),
        c.getString("kubeconfig"),
        c.getString("context"),
        identity,
        c.getString("lease.namespace"),
        c.getString("lease.name"),
        c.getDuration("lease.duration"),
        c.getDuration("lease.renew-deadline"),
        c.getDuration("lease.retry-period"),
        c.getDuration("resync"),
        c.getLong("list-page-size"),
        c.getDuration("poll-interval"),
        c.getInt("max-events"),
        c.getInt("log-max-tail-lines"),
        c.getInt("log-max-bytes"),
        c.getDuration("call-timeout"));
  }

  /** Settings for tests and tools: the defaults with this cluster name, identity and lease timing. */
  public static KubernetesSettings defaults() {
    return fromConfig(ConfigFactory.empty());
  }

  public KubernetesSettings withIdentity(String id) {
    return new KubernetesSettings(enabled, clusterName, kubeconfig, context, id, leaseNamespace, leaseName,
        leaseDuration, renewDeadline, retryPeriod, resync, listPageSize, pollInterval, maxEvents, logMaxTailLines,
        logMaxBytes, callTimeout);
  }

  public KubernetesSettings withLease(String namespace, String name, Duration duration, Duration renew,
      Duration retry) {
    return new KubernetesSettings(enabled, clusterName, kubeconfig, context, identity, namespace, name, duration,
        renew, retry, resync, listPageSize, pollInterval, maxEvents, logMaxTailLines, logMaxBytes, callTimeout);
  }

  private static String hostname() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "portolan-agent";
    }
  }
}
