package io.portolan.node.agent;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.MissingOptionException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * {@code portolan-agent --cluster ws://a:4040,ws://b:4040 --token ...}: the agent on its own.
 *
 * <p>Options are parsed with Apache Commons CLI (picocli, which this used before, loaded ~170 classes
 * at start-up for these eleven options; see BENCHMARK.md). Exit codes: 0 after {@code --help} /
 * {@code --version} or a normal stop, 2 for a bad command line (message and usage on stderr).
 */
public final class AgentMain {

  static final String NAME = "portolan-agent";
  static final String DESCRIPTION = "Portolan node agent: watches this host's containers, processes and connections"
      + " and streams them to the cluster.";
  static final String SYNTAX = NAME + " --cluster=ws://HOST:PORT[,ws://HOST:PORT...] [options]";
  /** Exit code for a bad command line (as before, picocli's). */
  static final int USAGE_ERROR = 2;

  List<String> cluster = List.of();
  String token;
  String agentId;
  String procRoot;
  String dockerHost;
  String publishInterval;
  String fullReportInterval;
  String truststore;
  String truststorePassword;
  boolean allowHostExec;
  boolean help;
  boolean version;

  /** A fresh set each time: an {@link Option} keeps the values it parsed. */
  static Options options() {
    return new Options()
        .addOption(valued("cluster", "URL[,URL...]", "Cluster agent endpoints, ws://HOST:PORT or"
            + " wss://HOST:PORT, tried in turn (the path /agent/ws is added when missing). Required; may be repeated."))
        .addOption(valued("token", "TOKEN",
            "Agent token, sent as 'Authorization: Bearer <token>' (default: $PORTOLAN_AGENT_TOKEN)."))
        .addOption(valued("agent-id", "ID", "Agent and host id (default: the hostname)."))
        .addOption(valued("proc-root", "DIR", "Where the host's /proc is (default: /proc; /host/proc in a DaemonSet)."))
        .addOption(valued("docker-host", "URI",
            "Docker Engine endpoint (default: $DOCKER_HOST or unix:///var/run/docker.sock)."))
        .addOption(valued("publish-interval", "DURATION", "Delta interval, e.g. 1s."))
        .addOption(valued("full-report-interval", "DURATION", "Full report interval, e.g. 30s."))
        .addOption(valued("truststore", "FILE", "Trust store (PKCS12 or JKS) that wss:// cluster certificates are"
            + " verified against (default: $PORTOLAN_AGENT_TRUSTSTORE, else the JVM's own trust store)."))
        .addOption(valued("truststore-password", "PASSWORD",
            "Password of the trust store (default: $PORTOLAN_AGENT_TRUSTSTORE_PASSWORD)."))
        .addOption(Option.builder().longOpt("allow-host-exec").desc("Run a shell on this host when an admin opens a"
            + " host exec (default: off, or $PORTOLAN_AGENT_HOST_EXEC).").build())
        .addOption(Option.builder("h").longOpt("help").desc("Show this help message and exit.").build())
        .addOption(Option.builder("V").longOpt("version").desc("Print version information and exit.").build());
  }

  private static Option valued(String name, String argName, String description) {
    return Option.builder().longOpt(name).hasArg().argName(argName).desc(description).build();
  }

  /**
   * Parses {@code args}; {@code env} gives the environment defaults ($PORTOLAN_AGENT_TOKEN,
   * $PORTOLAN_AGENT_TRUSTSTORE, $PORTOLAN_AGENT_TRUSTSTORE_PASSWORD). Long options only, written
   * {@code --name value} or {@code --name=value}, never abbreviated; {@code --cluster} may be given
   * several times and each value may hold several comma-separated addresses.
   *
   * @throws ParseException for an unknown or abbreviated option, a missing value, a stray argument or a missing
   *     {@code --cluster} (unless help or version was asked for); its message says which
   */
  static AgentMain parse(String[] args, UnaryOperator<String> env) throws ParseException {
    CommandLine line = DefaultParser.builder().setAllowPartialMatching(false).build().parse(options(), args);
    if (!line.getArgList().isEmpty()) {
      throw new ParseException("Unexpected argument: '" + line.getArgList().get(0) + "' (every value follows its"
          + " option, e.g. --cluster=ws://HOST:PORT)");
    }
    AgentMain m = new AgentMain();
    m.help = line.hasOption("help");
    m.version = line.hasOption("version");
    List<String> cluster = new ArrayList<>();
    for (String value : line.hasOption("cluster") ? line.getOptionValues("cluster") : new String[0]) {
      for (String address : value.split(",")) {
        if (!address.isBlank()) {
          cluster.add(address.strip());
        }
      }
    }
    if (cluster.isEmpty() && !m.help && !m.version) {
      throw new MissingOptionException("Missing required option: '--cluster=ws://HOST:PORT' (the cluster's agent"
          + " endpoint, e.g. --cluster=ws://portolan:4040)");
    }
    m.cluster = List.copyOf(cluster);
    m.token = line.getOptionValue("token", () -> env.apply("PORTOLAN_AGENT_TOKEN"));
    m.agentId = line.getOptionValue("agent-id");
    m.procRoot = line.getOptionValue("proc-root");
    m.dockerHost = line.getOptionValue("docker-host");
    m.publishInterval = line.getOptionValue("publish-interval");
    m.fullReportInterval = line.getOptionValue("full-report-interval");
    m.truststore = line.getOptionValue("truststore", () -> env.apply("PORTOLAN_AGENT_TRUSTSTORE"));
    m.truststorePassword = line.getOptionValue("truststore-password",
        () -> env.apply("PORTOLAN_AGENT_TRUSTSTORE_PASSWORD"));
    m.allowHostExec = line.hasOption("allow-host-exec");
    return m;
  }

  static void printHelp(PrintWriter out) {
    HelpFormatter help = HelpFormatter.builder().setPrintWriter(out).get();
    help.setOptionComparator(null); // in the order above: --cluster first
    help.setLongOptSeparator("=");
    help.printHelp(out, 80, SYNTAX, DESCRIPTION, options(), 2, 2, null, false);
    out.flush();
  }

  static String versionText() {
    String v = AgentMain.class.getPackage().getImplementationVersion();
    return NAME + " " + (v == null ? "(development build)" : v);
  }

  /** The outcome of a command line: an agent to start, or an exit code (help, version, usage error). */
  record Outcome(AgentMain agent, int exitCode) {}

  /** What {@link #main} does short of starting the agent: parses, and prints help, version or a usage error. */
  static Outcome commandLine(String[] args, UnaryOperator<String> env, PrintWriter out, PrintWriter err) {
    AgentMain agent;
    try {
      agent = parse(args, env);
    } catch (ParseException e) {
      err.println(e.getMessage());
      err.println("Usage: " + SYNTAX + " (--help lists every option)");
      err.flush();
      return new Outcome(null, USAGE_ERROR);
    }
    if (agent.help) {
      printHelp(out);
      return new Outcome(null, 0);
    }
    if (agent.version) {
      out.println(versionText());
      out.flush();
      return new Outcome(null, 0);
    }
    return new Outcome(agent, 0);
  }

  int run() {
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
    Outcome outcome = commandLine(args, System::getenv, new PrintWriter(System.out), new PrintWriter(System.err));
    System.exit(outcome.agent() == null ? outcome.exitCode() : outcome.agent().run());
  }
}
