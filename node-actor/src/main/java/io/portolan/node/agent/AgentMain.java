package io.portolan.node.agent;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portolan-agent --cluster ws://a:4040,ws://b:4040 --token ...}: the agent on its own. */
@Command(name = "portolan-agent", mixinStandardHelpOptions = true,
    description = "Portolan node agent: watches this host's containers, processes and connections and streams"
        + " them to the cluster.")
public final class AgentMain implements Callable<Integer> {

  @Option(names = "--cluster", split = ",", required = true, paramLabel = "ws://HOST:PORT",
      description = "Cluster agent endpoints, tried in turn (the path /agent/ws is added when missing).")
  List<String> cluster;

  @Option(names = "--token", defaultValue = "${env:PORTOLAN_AGENT_TOKEN}",
      description = "Agent token, sent as 'Authorization: Bearer <token>' (default: $PORTOLAN_AGENT_TOKEN).")
  String token;

  @Option(names = "--agent-id", description = "Agent and host id (default: the hostname).")
  String agentId;

  @Option(names = "--proc-root", description = "Where the host's /proc is (default: /proc; /host/proc in a DaemonSet).")
  String procRoot;

  @Option(names = "--docker-host", description = "Docker Engine endpoint (default: $DOCKER_HOST or unix:///var/run/docker.sock).")
  String dockerHost;

  @Option(names = "--publish-interval", description = "Delta interval, e.g. 1s.")
  String publishInterval;

  @Option(names = "--full-report-interval", description = "Full report interval, e.g. 30s.")
  String fullReportInterval;

  @Option(names = "--truststore", defaultValue = "${env:PORTOLAN_AGENT_TRUSTSTORE}", paramLabel = "FILE",
      description = "Trust store (PKCS12 or JKS) that wss:// cluster certificates are verified against"
          + " (default: $PORTOLAN_AGENT_TRUSTSTORE, else the JVM's own trust store).")
  String truststore;

  @Option(names = "--truststore-password", defaultValue = "${env:PORTOLAN_AGENT_TRUSTSTORE_PASSWORD}",
      description = "Password of the trust store (default: $PORTOLAN_AGENT_TRUSTSTORE_PASSWORD).")
  String truststorePassword;

  @Option(names = "--allow-host-exec",
      description = "Run a shell on this host when an admin opens a host exec (default: off, or $PORTOLAN_AGENT_HOST_EXEC).")
  boolean allowHostExec;

  @Override
  public Integer call() {
    Config config = config();
    var system = Agent.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(system::terminate, "portolan-agent-shutdown"));
    system.getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  Config config() {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("portolan.node.agent.cluster", cluster);
    if (token != null && !token.isBlank()) {
      overrides.put("portolan.node.agent.token", token);
    }
    if (agentId != null) {
      overrides.put("portolan.node.agent.agent-id", agentId);
    }
    if (procRoot != null) {
      overrides.put("portolan.node.agent.proc-root", procRoot);
    }
    if (dockerHost != null) {
      overrides.put("portolan.node.docker.host", dockerHost);
    }
    if (publishInterval != null) {
      overrides.put("portolan.node.agent.publish-interval", publishInterval);
    }
    if (truststore != null && !truststore.isBlank()) {
      overrides.put("portolan.node.agent.truststore", truststore);
    }
    if (truststorePassword != null && !truststorePassword.isEmpty()) {
      overrides.put("portolan.node.agent.truststore-password", truststorePassword);
    }
    if (allowHostExec) {
      overrides.put("portolan.node.agent.host-exec", true);
    }
    if (fullReportInterval != null) {
      overrides.put("portolan.node.agent.full-report-interval", fullReportInterval);
    }
    return ConfigFactory.parseMap(overrides)
        .withFallback(ConfigFactory.defaultOverrides())
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResources("portolan-agent.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  public static void main(String[] args) {
    System.setProperty(AgentLogging.PROPERTY, "console"); // logging set up in code, see AgentLogging
    System.exit(new CommandLine(new AgentMain()).execute(args));
  }
}
